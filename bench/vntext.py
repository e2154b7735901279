"""Deterministic synthetic Vietnamese text for the benchmarks (no data files, no network).

Words are drawn from a vocabulary of everyday provincial-news words with a Zipf-like
frequency (rank r has weight 1/r), so a few words ("của", "và", "tỉnh") appear in almost every
article, most in some, and the tail in few; :data:`RARE_TERMS` are planted on purpose in a
known small share of articles so that rare-word searches have a known answer size.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata

# Ordered roughly from most to least frequent; "_" keeps a proper name's syllables together.
VOCABULARY = """
của và là các có được trong cho với những một đã người này tỉnh công tác để đến trên
không theo về năm tại từ phát triển kinh tế huyện xã nhân dân đồng chí thực hiện
cán bộ địa phương chính quyền hoạt động tổ chức ngày quản lý đầu tư xây dựng doanh nghiệp
sản xuất nông nghiệp du lịch văn hóa giáo dục y tế chương trình kế hoạch dự án nhiệm vụ
Quảng_Ninh Hạ_Long thành phố lãnh đạo Ủy_ban Hội_đồng chủ tịch phó tập trung nâng cao
chất lượng hiệu quả đảm bảo an ninh trật tự quốc phòng tuyên truyền nhân dân vùng
hạ tầng giao thông đô thị nông thôn mới môi trường tài nguyên khoáng sản than biển đảo
học sinh giáo viên trường học bệnh viện bác sĩ sức khỏe dịch bệnh tiêm chủng
lễ hội truyền thống di tích danh thắng khách du lịch lượt khách doanh thu tăng trưởng
ngân sách thu chi vốn tín dụng ngân hàng thuế hải quan xuất khẩu nhập khẩu cửa khẩu
hội nghị tổng kết triển khai đánh giá kết quả đạt được hạn chế nguyên nhân giải pháp
Đảng_ủy Mặt_trận Tổ_quốc đoàn thể thanh niên phụ nữ cựu chiến binh nông dân công đoàn
người dân hộ gia đình hộ nghèo an sinh xã hội chính sách hỗ trợ việc làm lao động
bảo hiểm y tế thủ tục hành chính cải cách chuyển đổi số dịch vụ công trực tuyến
cơ sở vật chất trang thiết bị công trình thi công nghiệm thu bàn giao đưa vào sử dụng
mùa vụ lúa ngô rau màu chăn nuôi thủy sản nuôi trồng đánh bắt rừng trồng rừng
phòng chống thiên tai bão lũ sạt lở cứu hộ cứu nạn biên giới bộ đội biên phòng
Vân_Đồn Móng_Cái Cẩm_Phả Uông_Bí Đông_Triều Quảng_Yên Tiên_Yên Đầm_Hà Hải_Hà Ba_Chẽ
thể thao bóng đá giải đấu vận động viên huy chương nghệ thuật biểu diễn ca múa nhạc
khen thưởng bằng khen tập thể cá nhân xuất sắc thi đua yêu nước gương điển hình
kiểm tra giám sát thanh tra vi phạm xử lý nghiêm minh pháp luật tòa án viện kiểm sát
tháng quý sáng chiều tối hôm nay vừa qua tới đây sắp tới thời gian qua hiện nay
sẽ đang cũng rất nhiều hơn nhất mỗi toàn bộ tất cả trên địa bàn góp phần
nhằm thúc đẩy tạo điều kiện khuyến khích thu hút nguồn lực bền vững lâu dài
"""

RARE_TERMS = [
    "sá sùng", "Cô Tô", "Bình Liêu", "Ngọc Vừng", "Quan Lạn", "Yên Tử", "Minh Châu",
    "Thanh Lân", "Vĩnh Thực", "Trà Cổ", "Bãi Cháy", "Tuần Châu", "Cái Rồng", "Bắc Luân",
    "Hoành Bồ", "Đồng Rui", "Vạn Ninh", "Quảng Đức", "Lục Hồn", "Húc Động",
    "chả mực", "ngán", "gà Tiên Yên", "khoai môn", "miến dong", "trà hoa vàng",
    "ba kích", "sim rừng", "hải sâm", "tu hài",
]
RARE_SHARE = 0.004  # share of articles that carry one rare term (each term in ~RARE_SHARE/30)

_WORDS = [w.replace("_", " ") for w in VOCABULARY.split()]  # "_" joins a name
WORDS = [unicodedata.normalize("NFC", w) for w in dict.fromkeys(_WORDS)]
CUM_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(WORDS))))

SECTION_NAMES = [
    ("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội"),
    ("van-hoa", "Văn hóa"), ("du-lich", "Du lịch"), ("the-thao", "Thể thao"),
    ("giao-duc", "Giáo dục"), ("y-te", "Y tế"),
]


def sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    words = rng.choices(WORDS, cum_weights=CUM_WEIGHTS, k=rng.randint(lo, hi))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ",", ";")).rstrip(",;") + "."


def paragraph(rng: random.Random, lo: int = 2, hi: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi))).replace("..", ".")


def title(rng: random.Random) -> str:
    return sentence(rng, 7, 14).rstrip(".")


def slugify(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:80].strip("-")


def rare_term(rng: random.Random) -> str | None:
    return rng.choice(RARE_TERMS) if rng.random() < RARE_SHARE else None
