"""What the hostile site serves: good Vietnamese articles (the test checks each one is stored
with exactly this text) and the paths of the misbehaving pages.

Dates are written on the pages as ``dd/mm/yyyy HH:MM`` (Vietnam time); ``published`` is what
the archive should store.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GoodArticle:
    path: str
    title: str
    date: str  # as written on the page
    published: str  # as the archive should store it
    paragraphs: tuple[str, ...]
    encoding: str = "utf-8"  # "utf-8", "cp1258-meta", "cp1258-none", "cp1258-lying", "nfd"
    note: str = ""
    extra: dict = field(default_factory=dict)


GOOD_ARTICLES: tuple[GoodArticle, ...] = (
    GoodArticle(
        "/bai-viet/quang-ninh-don-khach-1001.html",
        "Quảng Ninh đón hơn 1,2 triệu lượt khách trong tháng Tư",
        "02/05/2025 08:30",
        "2025-05-02T08:30:00+07:00",
        (
            "Theo Sở Du lịch, lượng khách đến vịnh Hạ Long và các điểm di tích trong tháng Tư "
            "tăng mạnh nhờ chuỗi sự kiện văn hóa, thể thao được tổ chức liên tục.",
            "Nhiều cơ sở lưu trú ở thành phố Hạ Long và huyện Vân Đồn đạt công suất phòng trên "
            "tám mươi phần trăm vào những ngày cuối tuần.",
            "Ngành du lịch đề nghị các doanh nghiệp niêm yết giá công khai, bảo đảm vệ sinh an "
            "toàn thực phẩm và không để xảy ra tình trạng chèo kéo du khách.",
        ),
        note="plain UTF-8",
    ),
    GoodArticle(
        "/bai-viet/lua-dong-xuan-1002.html",
        "Nông dân Thái Bình khẩn trương chăm sóc lúa đông xuân",
        "15/03/2025 07:05",
        "2025-03-15T07:05:00+07:00",
        (
            "Những ngày này, trên khắp các cánh đồng của tỉnh, bà con nông dân tranh thủ thời "
            "tiết thuận lợi để bón phân, làm cỏ và phòng trừ sâu bệnh cho lúa.",
            "Trung tâm Khuyến nông khuyến cáo người dân thường xuyên thăm đồng, phát hiện sớm "
            "rầy nâu và bệnh đạo ôn để xử lý kịp thời, tránh lây lan trên diện rộng.",
            "Ông Nguyễn Văn Hưởng, xã Vũ Thắng, cho biết năm nay gia đình cấy giống lúa chất "
            "lượng cao, dự kiến năng suất đạt khoảng bảy tạ mỗi sào.",
        ),
        note="plain UTF-8",
    ),
    GoodArticle(
        "/bai-viet/cau-moi-thong-xe-1003.html",
        "Thông xe cầu Bến Rừng nối Hải Phòng với Quảng Ninh",
        "30/06/2025 16:45",
        "2025-06-30T16:45:00+07:00",
        (
            "Sau hơn ba năm thi công, cây cầu dài gần hai cây số chính thức được đưa vào sử "
            "dụng, rút ngắn đáng kể thời gian di chuyển giữa hai địa phương.",
            "Đại diện chủ đầu tư cho biết công trình có tổng mức đầu tư hơn một nghìn tám trăm "
            "tỷ đồng, được thiết kế với bốn làn xe cơ giới và hai làn xe thô sơ.",
            "Người dân hai bên bờ sông Đá Bạc phấn khởi vì không còn phải chờ phà, việc buôn "
            "bán và đưa đón con em đi học trở nên thuận tiện hơn.",
        ),
        note="plain UTF-8",
    ),
    GoodArticle(
        "/bai-viet/mang-cham-1004.html",
        "Hội Lim năm nay thu hút đông đảo người dân và du khách",
        "13/02/2025 09:00",
        "2025-02-13T09:00:00+07:00",
        (
            "Lễ hội quan họ Lim diễn ra trong không khí trang trọng với các nghi lễ rước kiệu, "
            "tế lễ tại đình làng và chùa Hồng Ân.",
            "Các liền anh, liền chị trong trang phục áo the, khăn xếp, nón quai thao hát đối "
            "đáp trên thuyền và tại các lán trại, làm nức lòng người nghe.",
            "Ban tổ chức bố trí lực lượng giữ gìn trật tự, hướng dẫn giao thông và kiểm tra giá "
            "cả dịch vụ để bảo đảm lễ hội an toàn, văn minh.",
        ),
        note="slow (1.5 s) but inside DOWNLOAD_TIMEOUT",
    ),
    GoodArticle(
        "/bai-viet/duong-dan-moi-1006.html",
        "Hải Dương: Vải thiều Thanh Hà vào vụ thu hoạch",
        "10/06/2025 07:00",
        "2025-06-10T07:00:00+07:00",
        (
            "Những chùm vải chín đỏ trĩu cành khắp các vườn ở Thanh Hà, thương lái từ nhiều "
            "tỉnh về thu mua ngay tại vườn.",
            "Năm nay, nhiều hợp tác xã áp dụng quy trình sản xuất theo tiêu chuẩn VietGAP, truy "
            "xuất nguồn gốc bằng mã QR để xuất khẩu.",
            "Huyện tổ chức tuần lễ quảng bá vải thiều, kết nối doanh nghiệp thu mua, chế biến "
            "và vận chuyển đi các thị trường lớn.",
        ),
        note="reached through a 301 from /bai-viet/duong-dan-cu-1005.html (the only link)",
    ),
    GoodArticle(
        "/bai-viet/ma-cu-co-khai-bao-2001.html",
        "Đắk Lắk: Giá cà phê tăng, nông dân phấn khởi",
        "08/01/2025 10:20",
        "2025-01-08T10:20:00+07:00",
        (
            "Giá cà phê nhân xô tại các huyện Cư M'gar, Krông Pắc đã vượt mốc một trăm nghìn "
            "đồng mỗi ki-lô-gam, mức cao nhất trong nhiều năm trở lại đây.",
            "Nhiều hộ dân cho biết sẽ dành một phần tiền lãi để tái canh vườn cây già cỗi, đầu "
            "tư hệ thống tưới tiết kiệm nước.",
            "Ngành nông nghiệp tỉnh khuyến cáo người trồng không ồ ạt mở rộng diện tích, chú "
            "trọng nâng cao chất lượng và liên kết tiêu thụ bền vững.",
        ),
        encoding="cp1258-meta",
        note="windows-1258 bytes, <meta charset=windows-1258>, header without charset",
    ),
    GoodArticle(
        "/bai-viet/ma-cu-khong-khai-bao-2002.html",
        "Nghệ An: Khởi công tuyến đường ven biển qua Quỳnh Lưu",
        "21/04/2025 14:00",
        "2025-04-21T14:00:00+07:00",
        (
            "Tuyến đường có chiều dài hơn mười tám cây số, đi qua nhiều xã ven biển, được kỳ "
            "vọng tạo động lực phát triển kinh tế biển và du lịch.",
            "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu nhà thầu bảo đảm chất lượng, tiến độ, đồng "
            "thời làm tốt công tác giải phóng mặt bằng và hỗ trợ người dân tái định cư.",
            "Dự kiến công trình hoàn thành vào cuối năm hai nghìn hai mươi bảy, góp phần giảm "
            "ùn tắc trên quốc lộ một.",
        ),
        encoding="cp1258-none",
        note="windows-1258 bytes, no declaration anywhere",
    ),
    GoodArticle(
        "/bai-viet/ma-cu-tieu-de-sai-2003.html",
        "Lào Cai: Sương muối xuất hiện trên đỉnh Fansipan",
        "05/12/2024 06:40",
        "2024-12-05T06:40:00+07:00",
        (
            "Nhiệt độ trên đỉnh núi xuống dưới không độ, sương muối phủ trắng cây cỏ, tạo nên "
            "khung cảnh đẹp mắt thu hút nhiều du khách lên ngắm.",
            "Chính quyền các xã vùng cao hướng dẫn người dân che chắn chuồng trại, dự trữ thức "
            "ăn cho gia súc và giữ ấm cho trẻ nhỏ, người già.",
            "Ngành y tế khuyến cáo du khách chuẩn bị đầy đủ quần áo ấm, không leo núi vào ban "
            "đêm khi thời tiết diễn biến phức tạp.",
        ),
        encoding="cp1258-lying",
        note="windows-1258 bytes, HTTP header says charset=utf-8",
    ),
    GoodArticle(
        "/bai-viet/to-hop-dau-2004.html",
        "Huế: Phục dựng lễ tế Nam Giao trong Festival nghề truyền thống",
        "18/06/2025 19:30",
        "2025-06-18T19:30:00+07:00",
        (
            "Hàng nghìn người dân và du khách đã theo dõi đoàn rước uy nghiêm đi từ Đại Nội đến "
            "đàn Nam Giao trong tiếng nhã nhạc cung đình.",
            "Các nghệ nhân cho biết việc phục dựng được thực hiện công phu dựa trên tư liệu lịch "
            "sử, hình ảnh và lời kể của những người cao tuổi.",
            "Festival năm nay còn có phố nghề, trình diễn đúc đồng, làm nón lá, thêu truyền "
            "thống và ẩm thực đặc sắc của cố đô.",
        ),
        encoding="nfd",
        note="UTF-8 bytes of NFD text (combining marks)",
    ),
    GoodArticle(
        "/bai-viet/html-loi-2005.html",
        "Cần Thơ: Chợ nổi Cái Răng nhộn nhịp mùa trái cây",
        "27/07/2025 05:50",
        "2025-07-27T05:50:00+07:00",
        (
            "Từ sáng sớm, hàng trăm ghe xuồng chở đầy măng cụt, chôm chôm, sầu riêng tấp nập "
            "neo đậu trên sông, tiếng rao mua bán vang khắp mặt nước.",
            "Nhiều du khách nước ngoài thích thú thưởng thức tô hủ tiếu nóng hổi ngay trên "
            "thuyền và chụp ảnh cùng các tiểu thương.",
            "Thành phố đang triển khai đề án bảo tồn và phát triển chợ nổi, hỗ trợ người dân "
            "cải tạo ghe, nâng cao chất lượng dịch vụ.",
        ),
        note="malformed HTML: unclosed tags, nested forms, stray end tags",
    ),
    GoodArticle(
        "/bai-viet/mot-dong-dai-2006.html",
        "Bình Định: Ngư dân trúng đậm mùa cá ngừ đại dương",
        "09/04/2025 11:15",
        "2025-04-09T11:15:00+07:00",
        (
            "Các tàu cá từ ngư trường Hoàng Sa, Trường Sa cập cảng Quy Nhơn với sản lượng cá "
            "ngừ đại dương cao hơn cùng kỳ năm trước.",
            "Giá cá ngừ loại một dao động quanh mức hai trăm nghìn đồng mỗi ki-lô-gam, giúp "
            "nhiều chủ tàu có lãi sau mỗi chuyến biển.",
            "Ngư dân được hướng dẫn ghi nhật ký khai thác đầy đủ, chấp hành quy định chống khai "
            "thác hải sản bất hợp pháp.",
        ),
        note="the whole 5 MB page on one line (a huge inline script)",
    ),
    GoodArticle(
        "/bai-viet/qua-tai-3007.html",
        "Đà Nẵng: Pháo hoa quốc tế trở lại bên sông Hàn",
        "31/05/2025 20:00",
        "2025-05-31T20:00:00+07:00",
        (
            "Các đội pháo hoa đến từ nhiều quốc gia mang tới những màn trình diễn rực rỡ, kết "
            "hợp âm nhạc và công nghệ ánh sáng hiện đại.",
            "Thành phố bố trí hàng chục bãi giữ xe miễn phí và tăng cường xe buýt phục vụ người "
            "dân, du khách đến xem trình diễn.",
            "Các khách sạn ven biển kín phòng trong suốt những đêm diễn ra lễ hội, doanh thu dịch "
            "vụ ăn uống tăng mạnh.",
        ),
        note="first answer 429 with Retry-After: 1, then 200",
    ),
    GoodArticle(
        "/bai-viet/tin-co-lien-quan-5001.html",
        "Hà Giang: Mùa hoa tam giác mạch nở rộ trên cao nguyên đá",
        "20/10/2024 15:00",
        "2024-10-20T15:00:00+07:00",
        (
            "Những cánh đồng hoa tam giác mạch ở Đồng Văn, Mèo Vạc khoe sắc hồng tím giữa núi "
            "đá xám, thu hút đông đảo du khách.",
            "Người dân địa phương mở thêm dịch vụ cho thuê trang phục dân tộc, bán bánh tam giác "
            "mạch và mật ong bạc hà.",
            "Huyện khuyến khích bà con giữ gìn cảnh quan, không thu phí chụp ảnh tự phát gây "
            "phiền hà cho khách tham quan.",
        ),
        note="related block links to itself, javascript:, mailto:, other domains",
    ),
)
GOOD_BY_PATH = {a.path: a for a in GOOD_ARTICLES}

# --- the misbehaving pages (all at article URLs, linked from /chuyen-muc/su-co/) ------------
SLOW = "/bai-viet/cham-qua-3001.html"  # no answer for 20 s
DRIP = "/bai-viet/nho-giot-3002.html"  # headers at once, then 50 bytes every 0.5 s
RESET = "/bai-viet/ngat-ket-noi-3003.html"  # RST after 2 kB of a 20 kB body
E500 = "/bai-viet/loi-500-3004.html"
E502 = "/bai-viet/loi-502-3005.html"
E503 = "/bai-viet/loi-503-3006.html"
RATE_LIMITED = "/bai-viet/qua-tai-3007.html"  # 429 + Retry-After: 1 once, then the article
E403 = "/bai-viet/cam-truy-cap-3008.html"
E404 = "/bai-viet/khong-tim-thay-3009.html"
E410 = "/bai-viet/da-go-bo-3010.html"
STATUS_PAGES = {E500: 500, E502: 502, E503: 503, E403: 403, E404: 404, E410: 410}
LOOP_A = "/bai-viet/vong-lap-a-3011.html"  # 302 -> LOOP_B -> 302 -> LOOP_A ...
LOOP_B = "/bai-viet/vong-lap-b-3012.html"
CHAIN = "/bai-viet/chuoi-chuyen-huong-3013.html"  # 302 -> /chuyen-huong/1 -> ... /30
CHAIN_HOPS = 30
OFFSITE_REDIRECT = "/bai-viet/ra-ngoai-3014.html"  # 302 -> http://localhost:PORT/...
OFFSITE_TARGET = "/bai-viet/ngoai-mien-3114.html"
OFFSITE_HOST = "localhost"  # another host name for the same server: a fetch shows in the log
OVERSIZE = "/bai-viet/qua-lon-3016.html"  # 8 MB with Content-Length
OVERSIZE_STREAM = "/bai-viet/qua-lon-khong-do-dai-3017.html"  # 8 MB, no Content-Length
OVERSIZE_BYTES = 8_000_000
BOMB = "/bai-viet/bom-nen-3018.html"  # Content-Encoding: gzip, 1 GiB of zeros in ~1 MB
PDF = "/bai-viet/tai-lieu-3019.html"  # application/pdf
PNG = "/bai-viet/anh-3020.html"  # image/png
EMPTY = "/bai-viet/trang-trong-3021.html"  # 200, text/html, no body
PNG_AS_HTML = "/bai-viet/anh-gia-html-3022.html"  # PNG bytes with Content-Type text/html
SHORT_REDIRECT = "/bai-viet/duong-dan-cu-1005.html"  # 301 -> /bai-viet/duong-dan-moi-1006.html
PRIVATE_LISTING = "/private/"
PRIVATE_ARTICLE = "/private/bai-viet/bi-mat-4001.html"  # disallowed by robots.txt
RELATED_PAGE = "/bai-viet/tin-co-lien-quan-5001.html"
JS_TARGET = "/bai-viet/bi-an-5005.html"  # only reachable by a javascript:window.open link
SINGLE_LINE = "/bai-viet/mot-dong-dai-2006.html"  # a good article, 5 MB on one line
SINGLE_LINE_BYTES = 5_000_000

BAD_PATHS = (
    SLOW, DRIP, RESET, E500, E502, E503, E403, E404, E410, LOOP_A, CHAIN, OFFSITE_REDIRECT,
    OVERSIZE, OVERSIZE_STREAM, BOMB, PDF, PNG, EMPTY, PNG_AS_HTML,
)  # fmt: skip
GOOD_LINKED = tuple(SHORT_REDIRECT if a.path.endswith("-1006.html") else a.path
                    for a in GOOD_ARTICLES)  # fmt: skip

# tone marks cp1258 writes as combining characters after the base letter
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as windows-1258 does in the wild: base letters with their
    circumflex/breve/horn precomposed, tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tones = "".join(c for c in decomposed if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)
