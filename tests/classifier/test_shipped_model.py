"""The shipped model is a pickle that names module paths: after code moves it must still load and predict, and
every class it names must live in a module of the product as it is now."""

from __future__ import annotations

import importlib

import joblib.numpy_pickle as joblib_pickle

from classifier.model import SHIPPED_MODEL, GdnnModel, load_model


def test_the_shipped_model_loads_and_predicts_a_gdnn_item():
    model = load_model(SHIPPED_MODEL)
    [prediction] = model.predict(
        [
            {
                "title": "Trường Cao đẳng nghề tỉnh tuyển sinh 1.200 chỉ tiêu đào tạo nghề năm 2026",
                "text": "Năm 2026, Trường Cao đẳng nghề tuyển sinh trình độ cao đẳng, trung cấp và sơ cấp cho lao động "
                "nông thôn, bộ đội xuất ngũ; học viên được miễn học phí và hỗ trợ giới thiệu việc làm sau tốt nghiệp.",
            }
        ]
    )
    assert isinstance(model, GdnnModel)
    assert prediction.gdnn and prediction.zone in ("accept", "review")


def test_every_class_the_shipped_pickle_names_is_importable_from_the_product(monkeypatch):
    named: set[tuple[str, str]] = set()
    original = joblib_pickle.NumpyUnpickler.find_class

    def recording(self, module: str, name: str):
        named.add((module, name))
        return original(self, module, name)

    monkeypatch.setattr(joblib_pickle.NumpyUnpickler, "find_class", recording)
    joblib_pickle.load(SHIPPED_MODEL)
    ours = {(module, name) for module, name in named if module.split(".")[0] in ("classifier", "gdnn_monitor")}
    assert ours, "the model pickles at least the project's GdnnModel"
    for module, name in ours:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name} named by the pickle is gone"
