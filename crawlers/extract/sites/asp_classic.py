"""Classic-ASP portals of provincial departments (Sở LĐ-TB&XH and the like, `tintuc.asp?id=`): the h1 is the
department's name, the headline a `div.tieude_tin`, the sapo `div.trichdan`, the body `div.noidung_tin` with the
reporter's name in `div.tacgia`, the time in `div.ngaycapnhat` ("Cập nhật lúc 16:20, ngày 11/04/2007") — while a
"Hôm nay: …" clock and dated "Văn bản mới" / "Các tin khác" lists surround it."""

from crawlers.extract.sites.base import SiteExtractor

EXTRACTOR = SiteExtractor(
    name="asp_classic",
    family="Cổng TTĐT cũ của sở, ngành (ASP cổ điển: tintuc.asp?id=…)",
    title="//div[@class='tieude_tin']",
    lead="//div[@class='trichdan']",
    body="//div[@class='noidung_tin']",
    published="//div[@class='ngaycapnhat']",
    author="//div[@class='noidung_tin']/div[@class='tacgia']",
    drop=(".//div[@class='tacgia']",),
)
