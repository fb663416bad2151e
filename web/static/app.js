// Keyboard shortcuts for reviewers and small conveniences. Pages work without it.
(function () {
  "use strict";

  function typing(event) {
    var tag = (event.target && event.target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.target.isContentEditable;
  }

  function click(id) {
    var element = document.getElementById(id);
    if (element) { element.click(); return true; }
    return false;
  }

  function queueShortcuts(event) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.queue-row"));
    if (!rows.length) { return false; }
    var current = rows.findIndex(function (row) { return row.classList.contains("selected"); });
    if (event.key === "j" || event.key === "k") {
      var next = current < 0 ? 0 : current + (event.key === "j" ? 1 : -1);
      next = Math.max(0, Math.min(rows.length - 1, next));
      rows.forEach(function (row) { row.classList.remove("selected"); });
      rows[next].classList.add("selected");
      rows[next].scrollIntoView({ block: "nearest" });
      return true;
    }
    if (event.key === "Enter" && current >= 0) {
      window.location.href = rows[current].getAttribute("data-href");
      return true;
    }
    return false;
  }

  function itemShortcuts(event) {
    switch (event.key) {
      case "c": return click("btn-confirm");
      case "r": return click("btn-reject");
      case "u": return click("btn-undo");
      case "j": return click("next-item");
      case "k": return click("prev-item");
      case "n": var note = document.getElementById("note"); if (note) { note.focus(); return true; } return false;
      default: return false;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var flashUndo = document.querySelector("#flash-undo button");
    var handled = false;
    if (event.key === "u" && flashUndo) {
      flashUndo.click();  // the decision just made (shown in the message) is the one to undo
      handled = true;
    } else if (document.getElementById("decision-form") || document.getElementById("next-item")) {
      handled = itemShortcuts(event);
    } else {
      handled = queueShortcuts(event);
    }
    if (handled) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var preset = event.target.closest && event.target.closest("button.preset");
    if (!preset) { return; }
    document.getElementById("m-channel").value = preset.getAttribute("data-channel");
    document.getElementById("m-genre").value = preset.getAttribute("data-genre");
    document.querySelectorAll("button.preset").forEach(function (b) { b.classList.remove("on"); });
    preset.classList.add("on");
  });
})();
