#!/usr/bin/env python3
"""Generate a synthetic canhbao site for benchmarking.

Usage: python3 bench/gen_corpus.py N OUTDIR [--force]

Writes OUTDIR/site.yaml, OUTDIR/content/articles/<slug>.md (N articles) and
OUTDIR/content/pages/gioi-thieu.md. The theme is NOT copied (bench/run.sh puts
the repo's themes/ next to the corpus).

The output depends only on N: everything is drawn from one random.Random(42),
in a fixed order, from lists (never sets or dicts iterated for output), and no
clock is read while generating. Running twice with the same N gives
byte-identical trees; different N give different corpora.

Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import sys
import time
import unicodedata

SEED = 42
# Dates are spread over 2019-01-01 .. 2026-10-31 (all in the past when this
# was written, so nothing is "scheduled"; fixed so the corpus never changes).
DATE_MIN = dt.date(2019, 1, 1)
DATE_MAX = dt.date(2026, 10, 31)
# Body length in words (see count_words). The target is drawn in a range a bit
# narrower than the 600-900 contract so that one extra sentence never
# overshoots, and Markdown markers (##, -, 1., |) stay inside 900 too.
WORDS_MIN_TARGET = 620
WORDS_MAX_TARGET = 850
RAW_TOKENS_MAX = 890

# --------------------------------------------------------------------------
# Vocabularies that end up in site.yaml
# --------------------------------------------------------------------------

# (key, name, description, phrase used in titles/prose, typical impersonated roles)
SCAMS = [
    ("gia-danh-co-quan-chuc-nang", "Giả danh cơ quan chức năng",
     "Kẻ gian giả danh công an, viện kiểm sát, toà án gọi điện đe doạ, yêu cầu chuyển tiền để \"xác minh\" hoặc \"phục vụ điều tra\".",
     "giả danh công an gọi điện đe doạ",
     ["cán bộ công an", "điều tra viên", "cán bộ viện kiểm sát", "thư ký toà án"]),
    ("gia-danh-ngan-hang", "Giả danh nhân viên ngân hàng",
     "Các đối tượng mạo danh nhân viên ngân hàng để lấy mã OTP, mật khẩu hoặc lừa nâng hạn mức thẻ tín dụng.",
     "giả danh nhân viên ngân hàng lấy mã OTP",
     ["nhân viên ngân hàng", "tổng đài viên chăm sóc khách hàng", "nhân viên thẩm định thẻ tín dụng"]),
    ("dau-tu-tai-chinh", "Đầu tư tài chính, tiền ảo",
     "Mời gọi đầu tư vào sàn giao dịch ngoại hối, tiền ảo, chứng khoán quốc tế với lợi nhuận cao bất thường.",
     "mời đầu tư tiền ảo lợi nhuận cao",
     ["chuyên gia tài chính", "nhân viên sàn giao dịch", "trưởng nhóm đầu tư"]),
    ("viec-nhe-luong-cao", "Việc nhẹ lương cao, cộng tác viên",
     "Tuyển cộng tác viên làm nhiệm vụ trực tuyến, chốt đơn, thả tim, yêu cầu nạp tiền trước để nhận hoa hồng.",
     "tuyển cộng tác viên việc nhẹ lương cao",
     ["nhân viên tuyển dụng", "quản lý cửa hàng trực tuyến", "người hướng dẫn nhiệm vụ"]),
    ("vay-tien-truc-tuyen", "Cho vay trực tuyến, tín dụng đen",
     "Quảng cáo cho vay nhanh không cần thế chấp, sau đó yêu cầu nộp phí hồ sơ, phí bảo hiểm khoản vay.",
     "cho vay tiền trực tuyến không cần thế chấp",
     ["nhân viên công ty tài chính", "nhân viên tư vấn khoản vay", "nhân viên thu hồi nợ"]),
    ("trung-thuong", "Thông báo trúng thưởng, quà tặng",
     "Thông báo trúng thưởng xe máy, điện thoại, tiền mặt rồi yêu cầu nộp phí nhận thưởng hoặc thuế.",
     "thông báo trúng thưởng để thu phí",
     ["nhân viên chương trình khuyến mãi", "nhân viên nhà mạng", "đại diện nhãn hàng"]),
    ("chiem-doat-tai-khoan-mang-xa-hoi", "Chiếm đoạt tài khoản mạng xã hội",
     "Hack hoặc lừa lấy tài khoản Facebook, Zalo rồi nhắn tin cho bạn bè, người thân của chủ tài khoản để vay tiền.",
     "chiếm tài khoản Zalo nhắn tin vay tiền",
     ["bạn bè quen biết", "người thân trong gia đình", "đồng nghiệp cũ"]),
    ("cuoc-goi-video-deepfake", "Cuộc gọi video giả mạo (deepfake)",
     "Dùng trí tuệ nhân tạo ghép khuôn mặt, giọng nói của người quen trong cuộc gọi video để hỏi vay tiền.",
     "dùng cuộc gọi video deepfake để vay tiền",
     ["người thân ở nước ngoài", "bạn bè thân thiết", "cấp trên ở cơ quan"]),
    ("mua-ban-truc-tuyen", "Mua bán hàng hoá trực tuyến",
     "Bán hàng giá rẻ trên mạng, yêu cầu đặt cọc rồi chặn liên lạc; hoặc giả làm người mua để lừa người bán.",
     "bán hàng giá rẻ trên mạng yêu cầu đặt cọc",
     ["chủ cửa hàng trực tuyến", "nhân viên giao hàng", "nhân viên sàn thương mại điện tử"]),
    ("ung-dung-gia-mao", "Cài đặt ứng dụng giả mạo",
     "Gửi đường link cài ứng dụng giả mạo dịch vụ công, ngân hàng, điện lực để chiếm quyền điều khiển điện thoại.",
     "dụ cài ứng dụng dịch vụ công giả mạo",
     ["cán bộ hỗ trợ định danh điện tử", "nhân viên điện lực", "cán bộ thuế"]),
    ("lua-dao-tinh-cam", "Lừa đảo tình cảm qua mạng",
     "Làm quen, hẹn hò qua mạng, tạo dựng tình cảm rồi nhờ nhận quà, đóng phí hải quan hoặc rủ đầu tư.",
     "làm quen qua mạng rồi nhờ nhận quà gửi từ nước ngoài",
     ["kỹ sư làm việc ở nước ngoài", "quân nhân nước ngoài", "doanh nhân thành đạt"]),
    ("bao-tin-nguoi-than-gap-nan", "Báo tin người thân gặp nạn",
     "Gọi điện báo con em bị tai nạn, cấp cứu hoặc bị bắt giữ, yêu cầu chuyển tiền gấp để lo viện phí, nộp phạt.",
     "báo tin người thân cấp cứu để đòi tiền",
     ["giáo viên chủ nhiệm", "bác sĩ bệnh viện", "cán bộ công an giao thông"]),
]

AUDIENCES = [
    ("nguoi-cao-tuoi", "Người cao tuổi",
     "Ông bà, cha mẹ lớn tuổi, thường ít cập nhật thông tin và dễ hoảng sợ khi nghe nhắc đến cơ quan chức năng."),
    ("hoc-sinh-sinh-vien", "Học sinh, sinh viên",
     "Các em học sinh, sinh viên đang tìm việc làm thêm hoặc thường xuyên dùng mạng xã hội."),
    ("phu-huynh", "Phụ huynh",
     "Cha mẹ có con đang đi học, dễ bị đánh vào tâm lý lo lắng cho con em."),
    ("nguoi-lao-dong", "Người lao động",
     "Công nhân, người lao động tự do, người đang cần vay tiền hoặc tìm việc."),
    ("tieu-thuong-doanh-nghiep", "Tiểu thương, doanh nghiệp nhỏ",
     "Chủ cửa hàng, hộ kinh doanh, doanh nghiệp nhỏ thường giao dịch chuyển khoản hằng ngày."),
    ("nhan-vien-van-phong", "Nhân viên văn phòng",
     "Người làm công việc văn phòng, kế toán, thường xử lý thanh toán và thư điện tử."),
    ("nguoi-dung-mang-xa-hoi", "Người dùng mạng xã hội",
     "Mọi người dùng Facebook, Zalo, TikTok, Telegram có thể trở thành mục tiêu của kẻ gian."),
]

# --------------------------------------------------------------------------
# Vocabulary for prose
# --------------------------------------------------------------------------

SUBJ = ["kẻ gian", "các đối tượng", "đối tượng lừa đảo", "nhóm lừa đảo", "kẻ xấu",
        "những kẻ lừa đảo", "các đối tượng lừa đảo"]
CHANNEL = ["qua điện thoại", "qua Zalo", "qua Facebook", "qua tin nhắn SMS", "qua mạng xã hội",
           "qua ứng dụng Telegram", "qua cuộc gọi video", "qua thư điện tử", "qua Messenger",
           "bằng số điện thoại lạ", "qua TikTok"]
VICTIM = ["người dân", "người cao tuổi", "học sinh, sinh viên", "phụ huynh học sinh", "công nhân",
          "tiểu thương", "nhân viên văn phòng", "chủ cửa hàng", "người lao động tự do",
          "người đang cần vay tiền", "người dùng mạng xã hội"]
VICTIM_ONE = ["một người phụ nữ", "một cụ ông 72 tuổi", "một nam sinh viên", "chủ một cửa hàng tạp hoá",
              "một nữ nhân viên kế toán", "một người đàn ông", "một cụ bà 68 tuổi", "một giáo viên",
              "một công nhân khu công nghiệp", "một chủ doanh nghiệp nhỏ", "một nữ sinh lớp 12"]
# PLACE_ONE: where one person lives; PLACE: also broader areas.
PLACE_ONE = ["tại Hà Nội", "tại Thành phố Hồ Chí Minh", "tại Đà Nẵng", "tại Cần Thơ", "tại Hải Phòng",
             "tại Nghệ An", "tại Bình Dương", "tại Đồng Nai", "tại Khánh Hoà", "tại Thừa Thiên Huế",
             "tại Quảng Ninh", "tại Lâm Đồng", "tại Thanh Hoá", "tại Bắc Ninh", "tại An Giang",
             "tại Đắk Lắk"]
PLACE = PLACE_ONE + ["trên địa bàn thành phố", "ở nhiều tỉnh, thành phố", "trên cả nước"]
TIME = ["trong thời gian gần đây", "thời gian qua", "từ đầu năm đến nay", "trong những tháng gần đây",
        "dịp cuối năm", "trong mấy tuần vừa qua", "gần đây"]
AMOUNT = ["hàng chục triệu đồng", "hơn 200 triệu đồng", "gần 1 tỷ đồng", "hàng trăm triệu đồng",
          "hơn 1,5 tỷ đồng", "khoảng 80 triệu đồng", "toàn bộ tiền tiết kiệm", "gần 500 triệu đồng",
          "hơn 3 tỷ đồng", "45 triệu đồng"]
ACTION = [
    "yêu cầu nạn nhân chuyển tiền vào tài khoản ngân hàng do chúng chỉ định",
    "đề nghị nạn nhân đọc mã OTP vừa được gửi về điện thoại",
    "gửi một đường link giả mạo và yêu cầu đăng nhập tài khoản ngân hàng",
    "hướng dẫn nạn nhân cài đặt ứng dụng lạ lên điện thoại",
    "yêu cầu cung cấp số căn cước công dân và ảnh chụp hai mặt",
    "dụ dỗ nạn nhân nạp tiền để tham gia nhiệm vụ nhận hoa hồng",
    "yêu cầu nạn nhân nộp phí hồ sơ, phí bảo hiểm trước khi giải ngân",
    "đề nghị nạn nhân chuyển tiền để \"xác minh dòng tiền\"",
    "yêu cầu quét mã QR để nhận tiền hoàn",
    "thuyết phục nạn nhân mở tài khoản trên một sàn giao dịch không được cấp phép",
]
PRETEXT = [
    "tài khoản của nạn nhân liên quan đến một đường dây rửa tiền",
    "số điện thoại sắp bị khoá do chưa chuẩn hoá thông tin thuê bao",
    "hồ sơ định danh điện tử cần được cập nhật gấp",
    "nạn nhân đang nợ cước hoặc nợ thuế",
    "có bưu phẩm chứa hàng cấm gửi đến địa chỉ của nạn nhân",
    "người thân của nạn nhân vừa gặp tai nạn và cần mổ gấp",
    "khoản vay đã được duyệt nhưng bị sai số tài khoản",
    "nạn nhân vừa trúng thưởng một chiếc xe máy",
    "thẻ tín dụng được nâng hạn mức miễn phí",
    "tiền điện tháng này chưa được thanh toán",
]
CONSEQUENCE = [
    "mất toàn bộ số tiền trong tài khoản",
    "bị chiếm đoạt thông tin cá nhân",
    "bị kẻ gian chiếm quyền điều khiển điện thoại",
    "bị lợi dụng để vay tiền trên các ứng dụng trực tuyến",
    "mất số tiền tiết kiệm tích cóp nhiều năm",
    "bị đánh cắp tài khoản mạng xã hội",
    "bị rút sạch tiền trong thẻ tín dụng",
]
TECH = ["công nghệ deepfake", "số điện thoại giả mạo đầu số tổng đài", "trang web có giao diện giống hệt trang chính thức",
        "giấy tờ, con dấu giả", "hình ảnh và video cắt ghép", "tài khoản mạng xã hội có dấu tích xanh giả",
        "thiết bị phát sóng giả mạo trạm viễn thông", "phần mềm thay đổi giọng nói"]
TRUST = ["cho nạn nhân hưởng một khoản lợi nhuận nhỏ ở những lần đầu",
         "đọc chính xác họ tên, số căn cước và địa chỉ của nạn nhân",
         "gửi hình ảnh giấy tờ tuỳ thân và thẻ ngành giả",
         "lập nhóm chat có nhiều thành viên ảo liên tục khoe lợi nhuận",
         "mặc trang phục ngành và gọi video từ một căn phòng giống trụ sở",
         "chuyển lại một ít tiền hoa hồng ngay sau nhiệm vụ đầu tiên"]
REASON = ["ít có điều kiện cập nhật thông tin", "thường xuyên sử dụng mạng xã hội",
          "đang cần việc làm thêm", "dễ hoảng sợ khi nghe nhắc đến cơ quan chức năng",
          "thường giao dịch chuyển khoản hằng ngày", "có tâm lý cả nể, ngại từ chối",
          "đang có nhu cầu vay vốn gấp"]
REACTION = ["tỏ ra nghi ngờ", "chần chừ chưa chuyển tiền", "hỏi lại thông tin", "đòi gặp trực tiếp",
            "nói sẽ hỏi ý kiến người thân"]
PRESSURE = ["đe doạ sẽ khởi tố hoặc bắt tạm giam", "dồn dập gọi điện, nhắn tin gây sức ép",
            "yêu cầu giữ bí mật tuyệt đối với gia đình", "đưa ra thời hạn rất gấp để nạn nhân không kịp suy nghĩ",
            "chuyển máy cho một người khác tự xưng là lãnh đạo"]
DO = ["kiểm tra kỹ thông tin trước khi giao dịch", "gọi điện xác minh trực tiếp với người thân",
      "liên hệ cơ quan công an gần nhất", "chỉ tải ứng dụng từ kho ứng dụng chính thức",
      "bật xác thực hai lớp cho tài khoản mạng xã hội", "gọi lại số tổng đài in trên thẻ ngân hàng",
      "trao đổi với gia đình trước khi quyết định chuyển tiền", "lưu lại tin nhắn, số điện thoại và số tài khoản của đối tượng",
      "tra cứu tên miền trước khi đăng nhập"]
DONT = ["không chuyển tiền cho người lạ", "không cung cấp mã OTP cho bất kỳ ai",
        "không bấm vào đường link lạ", "không cài đặt ứng dụng theo hướng dẫn qua điện thoại",
        "không cho người khác mượn tài khoản ngân hàng", "không đặt cọc khi chưa kiểm tra người bán",
        "không tin vào những lời hứa hẹn lợi nhuận cao", "không cung cấp ảnh căn cước công dân qua mạng"]
AUTHORITY = ["Công an thành phố", "Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao",
             "Bộ Công an", "Cục An toàn thông tin", "Ngân hàng Nhà nước", "Công an tỉnh",
             "Hiệp hội Ngân hàng Việt Nam"]
FACTS = [
    "Ngân hàng sẽ không bao giờ yêu cầu khách hàng cung cấp mã OTP, mật khẩu hay số thẻ qua điện thoại.",
    "Cơ quan công an không làm việc, không giải quyết vụ án qua điện thoại hay mạng xã hội.",
    "Không có cơ quan nhà nước nào yêu cầu người dân chuyển tiền vào tài khoản cá nhân để \"xác minh\".",
    "Số tiền bị chiếm đoạt thường được chuyển qua nhiều tài khoản trung gian trong thời gian ngắn, gây khó khăn cho việc truy vết.",
    "Các đối tượng thường dùng tài khoản ngân hàng đứng tên người khác, vì vậy tên chủ tài khoản không phải căn cứ để tin tưởng.",
    "Những lời mời làm việc trực tuyến yêu cầu nạp tiền trước đều là dấu hiệu lừa đảo.",
    "Ứng dụng dịch vụ công chính thức chỉ được phát hành trên kho ứng dụng của Google và Apple.",
    "Tổng đài của ngân hàng và nhà mạng không gọi từ số di động cá nhân.",
]

TEMPLATES = [
    "{time}, {subj} thường giả danh {role} rồi liên lạc với {victim} {channel}.",
    "Sau khi tạo được lòng tin, {subj} {action}.",
    "Nhiều {victim} đã {consequence} chỉ sau một cuộc gọi kéo dài vài chục phút.",
    "Theo {authority}, {time} đã có {count} vụ việc tương tự xảy ra {place}, với tổng thiệt hại lên tới {amount}.",
    "{subj} thường đưa ra lý do {pretext} để {action}.",
    "Đáng chú ý, {subj} còn sử dụng {tech} để khiến nạn nhân tin rằng mình đang nói chuyện với {role}.",
    "Cơ quan công an khuyến cáo người dân {dont}, đồng thời {do}.",
    "Trong trường hợp nghi ngờ, hãy {do} và báo ngay cho cơ quan công an.",
    "{victim_one} {place_one} cho biết đã {consequence} sau khi làm theo hướng dẫn của {subj}.",
    "{fact}",
    "{subj} thường nhắm vào {victim} vì nhóm này {reason}.",
    "Khi nạn nhân {reaction}, {subj} lập tức {pressure}.",
    "Thủ đoạn {scam_phrase} không mới nhưng liên tục được {subj} biến tấu với nhiều kịch bản tinh vi hơn.",
    "Mọi thông tin về hành vi lừa đảo, người dân có thể phản ánh qua đường dây nóng {hotline} hoặc đến trực tiếp trụ sở công an nơi gần nhất.",
    "Chỉ trong vòng {minutes} phút, {victim_one} đã chuyển {amount} vào {n} tài khoản khác nhau theo yêu cầu của {subj}.",
    "Để tạo sự tin tưởng, {subj} {trust}.",
    "{victim} cần {do} và {dont}.",
    "Khi nhận được cuộc gọi tự xưng là {role}, người dân nên {do} thay vì làm theo yêu cầu.",
    "Nhiều trường hợp nạn nhân chỉ phát hiện mình bị lừa khi {subj} đã cắt đứt liên lạc và khoá tài khoản.",
    "Ngoài việc {action}, {subj} còn tìm cách thu thập thông tin cá nhân để tiếp tục lừa đảo người thân của nạn nhân.",
    "Lực lượng chức năng {place_one} đã xác minh, truy vết dòng tiền nhưng việc thu hồi tài sản cho người bị hại gặp rất nhiều khó khăn.",
    "Đây là thủ đoạn không mới, tuy nhiên vẫn có {victim} sập bẫy vì thiếu cảnh giác.",
    "Theo chia sẻ của {victim_one}, {subj} nói giọng rất tự tin, xưng là {role} và nắm rõ thông tin cá nhân của gia đình.",
    "Người dân cần đặc biệt cảnh giác với các cuộc gọi, tin nhắn {channel} có nội dung {pretext_short}.",
]
PRETEXT_SHORT = ["thông báo vi phạm giao thông", "yêu cầu cập nhật thông tin tài khoản", "mời nhận quà tri ân",
                 "báo tin người thân gặp nạn", "hối thúc thanh toán khoản nợ", "mời tham gia nhóm đầu tư",
                 "yêu cầu hoàn thiện hồ sơ định danh điện tử"]

# Emphasis is applied to some slot values: **bold** or *italic*.
EMPHASIS_SLOTS = ("dont", "do", "consequence", "amount")

SIGNS = [
    "Cuộc gọi từ số lạ tự xưng là cơ quan chức năng",
    "Yêu cầu chuyển tiền vào tài khoản cá nhân để *xác minh*",
    "Đề nghị cung cấp **mã OTP** hoặc mật khẩu",
    "Đường link có tên miền lạ, sai chính tả so với trang chính thức",
    "Hứa hẹn lợi nhuận cao, *việc nhẹ lương cao*",
    "Yêu cầu giữ bí mật, không cho người thân biết",
    "Tạo áp lực thời gian, yêu cầu làm ngay trong vài phút",
    "Tài khoản nhận tiền đứng tên một cá nhân không liên quan",
    "Yêu cầu cài đặt ứng dụng từ đường link gửi qua tin nhắn",
    "Người quen nhắn tin vay tiền nhưng từ chối gọi điện thoại thông thường",
]
STEPS = [
    "Bình tĩnh, **không làm theo** yêu cầu của người lạ.",
    "Gọi lại số tổng đài chính thức để xác minh thông tin.",
    "Tuyệt đối không cung cấp *mã OTP*, mật khẩu, số thẻ ngân hàng.",
    "Trao đổi với người thân trước khi chuyển bất kỳ khoản tiền nào.",
    "Lưu lại bằng chứng: số điện thoại, tin nhắn, số tài khoản của đối tượng.",
    "Báo ngay cho ngân hàng để yêu cầu phong toả giao dịch nếu đã chuyển tiền.",
    "Trình báo cơ quan công an nơi gần nhất.",
    "Cảnh báo cho bạn bè, người thân để tránh bị lừa tiếp.",
]
TABLE_ROWS = [
    ("Cuộc gọi tự xưng công an", "Yêu cầu chuyển tiền để điều tra", "Cúp máy, báo công an phường"),
    ("Tin nhắn từ ngân hàng", "Kèm đường link đăng nhập", "Không bấm, gọi tổng đài chính thức"),
    ("Lời mời việc làm online", "Phải nạp tiền trước mới nhận việc", "Từ chối, chặn tài khoản"),
    ("Người thân hỏi vay qua Zalo", "Chỉ nhắn tin, không gọi điện", "Gọi điện thoại xác minh"),
    ("Thông báo trúng thưởng", "Yêu cầu nộp phí nhận giải", "Bỏ qua, không cung cấp thông tin"),
    ("Cuộc gọi video mờ, giật", "Khuôn mặt cứng, khẩu hình lệch", "Đặt câu hỏi riêng để kiểm tra"),
    ("Bán hàng giá rẻ bất thường", "Yêu cầu đặt cọc trước", "Chọn hình thức nhận hàng rồi trả tiền"),
    ("Ứng dụng dịch vụ công lạ", "Tải từ đường link ngoài kho", "Chỉ tải từ kho ứng dụng chính thức"),
]
TABLE_HEADERS = [
    ("Tình huống", "Dấu hiệu lừa đảo", "Cách xử lý"),
    ("Hình thức", "Điểm đáng ngờ", "Nên làm gì"),
]

H_SCHEME = ["Thủ đoạn của kẻ gian", "Diễn biến vụ việc", "Kịch bản lừa đảo", "Cách thức hoạt động của các đối tượng"]
H_SUB = ["Câu chuyện của một nạn nhân", "Một trường hợp cụ thể", "Các kịch bản thường gặp", "Vì sao nhiều người sập bẫy?"]
H_SIGNS = ["Dấu hiệu nhận biết", "Làm sao để nhận biết?", "Những dấu hiệu đáng ngờ"]
H_PREVENT = ["Cách phòng tránh", "Khuyến cáo của cơ quan công an", "Người dân cần làm gì?"]
H_AFTER = ["Nếu đã trót chuyển tiền", "Khi bị lừa cần làm gì?", "Xử lý khi đã bị lừa"]
H_MORE = ["Tham khảo thêm", "Thông tin liên quan"]

EXTERNAL = [
    ("https://chongluadao.vn/", "Chống Lừa Đảo"),
    ("https://chongluadao.vn/tra-cuu", "công cụ tra cứu của chongluadao.vn"),
    ("https://chongluadao.vn/bao-cao-lua-dao", "trang báo cáo lừa đảo"),
    ("https://chongluadao.vn/tin-tuc", "chuyên mục tin tức của chongluadao.vn"),
]

# Title patterns. {scam} = scam phrase, others from the prose vocabulary.
TITLE_PATTERNS = [
    "Cảnh giác với thủ đoạn {scam} {channel}",
    "{Victim_one} {place_one} mất {amount} vì tin lời kẻ {scam}",
    "Cảnh báo: {victim} bị lừa {amount} bởi thủ đoạn {scam}",
    "Nhận diện chiêu trò {scam} nhắm vào {victim}",
    "Kẻ gian giả danh {role} liên lạc {channel} để lừa {victim}",
    "{Authority} cảnh báo thủ đoạn {scam} {time}",
    "Tái diễn thủ đoạn {scam} {place}",
    "Bẫy {scam}: {victim} cần làm gì?",
    "Giả danh {role} {channel}, kẻ gian chiếm đoạt {amount}",
]

# --------------------------------------------------------------------------


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated (đ -> d, diacritics stripped)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


_LINK_URL = re.compile(r"\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ALERT = re.compile(r"\[![A-Z]+\]")
# a whitespace-delimited token made only of non-letters (digits, _, punctuation)
_NO_LETTER_TOKEN = re.compile(r"(?<!\S)(?:[^\w\s]|[\d_])+(?!\S)")


def count_words(markdown: str) -> int:
    """Visible words: whitespace-separated tokens containing a letter, after
    dropping link targets, HTML comments and alert markers. Markdown markers
    such as ##, -, 1., | are not words."""
    text = _COMMENT.sub(" ", markdown)
    text = _LINK_URL.sub("] ", text)
    text = _ALERT.sub(" ", text)
    return len(text.split()) - len(_NO_LETTER_TOKEN.findall(text))


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Article:
    __slots__ = ("index", "title", "slug", "scams", "audiences", "date", "date_str", "updated",
                 "severity", "summary", "links")


class Generator:
    def __init__(self, n: int, hotline: str):
        self.n = n
        self.rng = random.Random(SEED)
        self.hotline = hotline
        self.scam_by_key = {s[0]: s for s in SCAMS}

    # -- helpers --------------------------------------------------------
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def emph(self, s: str) -> str:
        r = self.rng.random()
        if r < 0.06:
            return f"**{s}**"
        if r < 0.10:
            return f"*{s}*"
        return s

    def sentence(self, scam) -> str:
        rng = self.rng
        tpl = self.pick(TEMPLATES)
        slots = {}
        # Fill only the slots the template uses, in a fixed order (re.findall
        # returns them in template order), so draws are deterministic.
        for name in re.findall(r"\{(\w+)\}", tpl):
            if name in slots:
                continue
            if name == "subj":
                v = self.pick(SUBJ)
            elif name == "role":
                v = self.pick(scam[4])
            elif name == "channel":
                v = self.pick(CHANNEL)
            elif name == "victim":
                v = self.pick(VICTIM)
            elif name == "victim_one":
                v = self.pick(VICTIM_ONE)
            elif name == "place":
                v = self.pick(PLACE)
            elif name == "place_one":
                v = self.pick(PLACE_ONE)
            elif name == "time":
                v = self.pick(TIME)
            elif name == "amount":
                v = self.pick(AMOUNT)
            elif name == "action":
                v = self.pick(ACTION)
            elif name == "pretext":
                v = self.pick(PRETEXT)
            elif name == "pretext_short":
                v = self.pick(PRETEXT_SHORT)
            elif name == "consequence":
                v = self.pick(CONSEQUENCE)
            elif name == "tech":
                v = self.pick(TECH)
            elif name == "trust":
                v = self.pick(TRUST)
            elif name == "reason":
                v = self.pick(REASON)
            elif name == "reaction":
                v = self.pick(REACTION)
            elif name == "pressure":
                v = self.pick(PRESSURE)
            elif name == "do":
                v = self.pick(DO)
            elif name == "dont":
                v = self.pick(DONT)
            elif name == "authority":
                v = self.pick(AUTHORITY)
            elif name == "fact":
                v = self.pick(FACTS)
            elif name == "scam_phrase":
                v = scam[3]
            elif name == "hotline":
                v = self.hotline
            elif name == "count":
                v = str(rng.randint(3, 120))
            elif name == "minutes":
                v = str(rng.randint(15, 90))
            elif name == "n":
                v = str(rng.randint(2, 9))
            else:  # pragma: no cover - template typo
                raise KeyError(name)
            if name in EMPHASIS_SLOTS:
                v = self.emph(v)
            slots[name] = v
        return cap(tpl.format(**slots))

    # -- front matter -----------------------------------------------------
    def make_title(self, scam, seen: set[str]) -> str:
        for _ in range(50):
            pat = self.pick(TITLE_PATTERNS)
            slots = {}
            for name in re.findall(r"\{(\w+)\}", pat):
                if name in slots:
                    continue
                low = name.lower()
                if low == "scam":
                    v = scam[3]
                elif low == "role":
                    v = self.pick(scam[4])
                elif low == "channel":
                    v = self.pick(CHANNEL)
                elif low == "victim":
                    v = self.pick(VICTIM)
                elif low == "victim_one":
                    v = self.pick(VICTIM_ONE)
                    v = v.removeprefix("một ")
                elif low == "place":
                    v = self.pick(PLACE)
                elif low == "place_one":
                    v = self.pick(PLACE_ONE)
                elif low == "amount":
                    v = self.pick(AMOUNT)
                elif low == "authority":
                    v = self.pick(AUTHORITY)
                elif low == "time":
                    v = self.pick(TIME)
                else:  # pragma: no cover
                    raise KeyError(name)
                slots[name] = cap(v) if name[0].isupper() else v
            title = cap(pat.format(**slots))
            if title not in seen:
                return title
        # Combination space exhausted for this scam: disambiguate.
        k = 2
        while f"{title} (phần {k})" in seen:
            k += 1
        return f"{title} (phần {k})"

    def random_date(self) -> dt.date:
        span = (DATE_MAX - DATE_MIN).days
        return DATE_MIN + dt.timedelta(days=self.rng.randint(0, span))

    def plan(self) -> list[Article]:
        rng = self.rng
        seen: set[str] = set()
        articles = []
        scam_keys = [s[0] for s in SCAMS]
        aud_keys = [a[0] for a in AUDIENCES]
        for i in range(self.n):
            a = Article()
            a.index = i
            a.scams = rng.sample(scam_keys, rng.choice((1, 1, 2, 2, 3)))
            a.audiences = rng.sample(aud_keys, rng.choice((1, 1, 2)))
            scam = self.scam_by_key[a.scams[0]]
            a.title = self.make_title(scam, seen)
            seen.add(a.title)
            words = slugify(a.title).split("-")
            stem = ""
            for w in words:  # keep slugs reasonably short: <= ~50 chars
                if stem and len(stem) + 1 + len(w) > 50:
                    break
                stem = f"{stem}-{w}" if stem else w
            a.slug = f"{stem}-{i + 1}"
            a.date = self.random_date()
            if rng.random() < 0.05:  # a few RFC 3339 date-times (allowed by the contract)
                a.date_str = f"{a.date.isoformat()}T{rng.randint(6, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}:00+07:00"
            else:
                a.date_str = a.date.isoformat()
            a.updated = None
            if rng.random() < 0.25:
                upd = a.date + dt.timedelta(days=rng.randint(1, 180))
                a.updated = min(upd, DATE_MAX)
                if a.updated <= a.date:
                    a.updated = None
            r = rng.random()
            if r < 0.10:
                a.severity = "urgent"
            elif r < 0.20:
                a.severity = "info"
            elif r < 0.35:
                a.severity = None  # omitted: defaults to warning
            else:
                a.severity = "warning"
            a.summary = None
            if rng.random() < 0.30:
                a.summary = self.sentence(scam).replace("**", "").replace("*", "")
            articles.append(a)
        # Internal links: 1-2 distinct OTHER articles.
        for a in articles:
            a.links = []
            if self.n < 2:
                continue
            want = min(rng.choice((1, 1, 2)), self.n - 1)
            while len(a.links) < want:
                j = rng.randrange(self.n - 1)
                if j >= a.index:
                    j += 1
                if j not in a.links:
                    a.links.append(j)
        return articles

    # -- body -----------------------------------------------------------
    def body(self, a: Article, articles: list[Article]) -> str:
        rng = self.rng
        scam = self.scam_by_key[a.scams[0]]
        blocks: list = []  # str (fixed Markdown) or list[str] (paragraph of sentences)
        paragraphs: list[list[str]] = []

        def para(n_sentences: int, first: str | None = None):
            p = [first] if first else []
            p.extend(self.sentence(scam) for _ in range(n_sentences))
            blocks.append(p)
            paragraphs.append(p)

        def link_sentence(j: int) -> str:
            t = articles[j]
            if rng.random() < 0.5:
                return f"Bạn đọc có thể [xem thêm]({t.slug}.md) về một thủ đoạn tương tự."
            return f"Xem thêm bài viết: [{t.title}]({t.slug}.md)."

        # Intro, with guaranteed bold emphasis.
        intro_first = (f"{cap(self.pick(TIME))}, {self.pick(SUBJ)} liên tục sử dụng thủ đoạn "
                       f"**{scam[3]}** nhằm chiếm đoạt tài sản của {self.pick(VICTIM)}.")
        # Paragraphs start short (1-2 sentences); the loop at the end adds
        # sentences at random places until the word target is reached.
        para(1, intro_first)
        if a.summary is None and rng.random() < 0.25:
            blocks.append("<!-- more -->")
        para(1)

        blocks.append(f"## {self.pick(H_SCHEME)}")
        para(rng.randint(1, 2))
        blocks.append(f"### {self.pick(H_SUB)}")
        para(1)

        blocks.append(f"## {self.pick(H_SIGNS)}")
        para(1)
        blocks.append("\n".join(f"- {s}" for s in rng.sample(SIGNS, rng.randint(4, 6))))
        hdr = self.pick(TABLE_HEADERS)
        rows = rng.sample(TABLE_ROWS, 3)
        table = [f"| {hdr[0]} | {hdr[1]} | {hdr[2]} |", "| --- | --- | --- |"]
        table += [f"| {r[0]} | {r[1]} | {r[2]} |" for r in rows]
        blocks.append("\n".join(table))
        para(1)

        blocks.append(f"## {self.pick(H_PREVENT)}")
        para(1)
        steps = rng.sample(STEPS, rng.randint(4, 6))
        blocks.append("\n".join(f"{k}. {s}" for k, s in enumerate(steps, 1)))
        url, label = self.pick(EXTERNAL)
        blocks.append([f"Người dân có thể *tra cứu* số điện thoại, số tài khoản, website đáng ngờ hoặc "
                       f"báo cáo lừa đảo tại [{label}]({url}).", self.sentence(scam)])
        paragraphs.append(blocks[-1])
        if rng.random() < 0.35:
            kind = "WARNING" if rng.random() < 0.8 else self.pick(("CAUTION", "IMPORTANT"))
            blocks.append(f"> [!{kind}]\n> {cap(self.pick(DONT))}. {self.pick(FACTS)}")

        if rng.random() < 0.5:
            blocks.append(f"## {self.pick(H_AFTER)}")
            para(rng.randint(1, 2))

        if a.links and rng.random() < 0.4:
            blocks.append(f"## {self.pick(H_MORE)}")
            blocks.append("\n".join(f"- [{articles[j].title}]({articles[j].slug}.md)" for j in a.links))
            para(1)
        elif a.links:
            blocks.append([link_sentence(j) for j in a.links] + [self.sentence(scam)])
            paragraphs.append(blocks[-1])

        # Fill paragraphs up to the target word count.
        target = rng.randint(WORDS_MIN_TARGET, WORDS_MAX_TARGET)
        total = sum(count_words(b if isinstance(b, str) else " ".join(b)) for b in blocks)
        fillers = []
        while total < target:
            p = self.pick(paragraphs)
            s = self.sentence(scam)
            # insert before the last sentence, so link/intro sentences keep their place
            pos = max(1, len(p) - 1)
            p.insert(pos, s)
            fillers.append((p, pos))
            total += count_words(s)
        text = "\n\n".join(b if isinstance(b, str) else " ".join(b) for b in blocks) + "\n"
        # Keep `wc -w` (which also counts ##, -, 1., | and numbers) within 900 too.
        while len(text.split()) > RAW_TOKENS_MAX and fillers:
            p, pos = fillers.pop()
            del p[pos]
            text = "\n\n".join(b if isinstance(b, str) else " ".join(b) for b in blocks) + "\n"
        return text

    def front_matter(self, a: Article) -> str:
        lines = ["---", f"title: {yaml_str(a.title)}", f"date: {a.date_str}"]
        if a.updated is not None:
            lines.append(f"updated: {a.updated.isoformat()}")
        if a.summary is not None:
            lines.append(f"summary: {yaml_str(a.summary)}")
        lines.append(f"scams: [{', '.join(a.scams)}]")
        lines.append(f"audiences: [{', '.join(a.audiences)}]")
        if a.severity is not None:
            lines.append(f"severity: {a.severity}")
        lines.append("---")
        return "\n".join(lines) + "\n"


SITE_YAML_HEAD = """\
title: "Cảnh báo lừa đảo (bộ dữ liệu thử hiệu năng)"
description: "Thông tin cảnh báo các thủ đoạn lừa đảo qua mạng, điện thoại và mạng xã hội dành cho người dân."
base_url: "https://bench.example.vn"
language: vi
organisation: "Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao, Công an thành phố"
hotline:
  number: "113"
  label: "Gọi Công an"
paginate_by: 10
theme: default
sections:
  articles: canh-bao
  scams: thu-doan
  audiences: doi-tuong
menu:
  - { label: "Giới thiệu", url: "/gioi-thieu/" }
"""

ABOUT_PAGE = """\
---
title: "Giới thiệu"
summary: "Trang thông tin cảnh báo lừa đảo giúp người dân nhận biết và phòng tránh các thủ đoạn của kẻ gian."
---
Trang **Cảnh báo lừa đảo** tổng hợp các thủ đoạn lừa đảo mới, phổ biến trên không gian mạng và qua điện thoại, \
giúp người dân chủ động nhận biết và phòng tránh.

## Chúng tôi làm gì?

- Cập nhật thường xuyên các thủ đoạn lừa đảo mới.
- Hướng dẫn cách nhận biết dấu hiệu đáng ngờ.
- Khuyến cáo cách xử lý khi đã bị lừa.

## Liên hệ

Khi phát hiện dấu hiệu lừa đảo, hãy gọi ngay đường dây nóng **113** hoặc đến trụ sở công an nơi gần nhất. \
Có thể tra cứu thêm tại [chongluadao.vn](https://chongluadao.vn/).
"""


def site_yaml() -> str:
    out = [SITE_YAML_HEAD, "scams:\n"]
    for key, name, desc, _phrase, _roles in SCAMS:
        out.append(f"  - key: {key}\n    name: {yaml_str(name)}\n    description: {yaml_str(desc)}\n")
    out.append("audiences:\n")
    for key, name, desc in AUDIENCES:
        out.append(f"  - key: {key}\n    name: {yaml_str(name)}\n    description: {yaml_str(desc)}\n")
    return "".join(out)


def write(path: str, text: str) -> int:
    data = unicodedata.normalize("NFC", text).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--force"]
    force = "--force" in argv[1:]
    if len(args) != 2 or not args[0].isdigit() or int(args[0]) < 1:
        print("usage: gen_corpus.py N OUTDIR [--force]   (N >= 1)", file=sys.stderr)
        return 2
    n, outdir = int(args[0]), args[1]
    if os.path.exists(outdir) and os.listdir(outdir):
        if not force:
            print(f"error: {outdir} exists and is not empty (use --force to replace "
                  f"its site.yaml and content/)", file=sys.stderr)
            return 1
        shutil.rmtree(os.path.join(outdir, "content"), ignore_errors=True)
    started = time.perf_counter()
    art_dir = os.path.join(outdir, "content", "articles")
    page_dir = os.path.join(outdir, "content", "pages")
    os.makedirs(art_dir, exist_ok=True)
    os.makedirs(page_dir, exist_ok=True)

    total_bytes = write(os.path.join(outdir, "site.yaml"), site_yaml())
    total_bytes += write(os.path.join(page_dir, "gioi-thieu.md"), ABOUT_PAGE)

    gen = Generator(n, hotline="113")
    articles = gen.plan()
    total_words = 0
    for a in articles:
        body = gen.body(a, articles)
        total_words += count_words(body)
        total_bytes += write(os.path.join(art_dir, f"{a.slug}.md"), gen.front_matter(a) + body)

    elapsed = time.perf_counter() - started
    print(f"gen_corpus: {n} articles in {outdir}: {total_bytes / 1e6:.1f} MB, "
          f"{total_words / n:.0f} words/article on average, {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(130)
