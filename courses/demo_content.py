"""Teaching content of the four demo courses, in Vietnamese (original) and English (translation).

Compact notation for lesson bodies, expanded by ``courses.demo``:
("h", text) heading · ("p", html) text · ("tip"|"warning"|"policy", html) callout ·
("steps", task, [instruction, ...]) walkthrough · ("check", question, [answers], correct_number, explanation).
"""

PORTAL = {
    "slug": "cong-thong-tin-dien-tu",
    "hours": "3",
    "level": "beginner",
    "mandatory": False,
    "valid_days": None,
    "vi": {
        "title": "Cổng thông tin điện tử của Bộ",
        "summary": "Đăng tin bài, quản lý chuyên mục và liên kết dịch vụ công trực tuyến trên Cổng thông tin điện tử "
        "của Bộ Ngoại giao và các cơ quan đại diện.",
    },
    "en": {
        "title": "The Ministry's electronic information portal",
        "summary": "Publishing news, managing sections and linking online public services on the electronic "
        "information portal of the Ministry and its missions abroad.",
    },
    "lessons": [
        {
            "slug": "tong-quan-cong",
            "minutes": 15,
            "vi": {
                "title": "Tổng quan về Cổng thông tin điện tử",
                "summary": "Cổng dùng để làm gì, ai chịu trách nhiệm nội dung.",
                "body": [
                    ("h", "Vai trò của Cổng"),
                    (
                        "p",
                        "<p>Cổng thông tin điện tử là kênh chính thức cung cấp thông tin của Bộ và của từng cơ quan "
                        "đại diện tới người dân, doanh nghiệp và bạn bè quốc tế. Mỗi cơ quan đại diện có một trang "
                        "con với tin tức, thông báo lãnh sự và liên kết tới dịch vụ công.</p>",
                    ),
                    (
                        "policy",
                        "<p>Mọi tin bài phải được <b>lãnh đạo cơ quan duyệt</b> trước khi xuất bản. Người đăng "
                        "chịu trách nhiệm về tính chính xác của thông tin và hình ảnh.</p>",
                    ),
                    ("h", "Các vai trò trên Cổng"),
                    (
                        "p",
                        "<ul><li><b>Biên tập viên</b>: soạn tin, gửi duyệt.</li><li><b>Người duyệt</b>: kiểm tra "
                        "nội dung, xuất bản.</li><li><b>Quản trị</b>: quản lý chuyên mục và tài khoản.</li></ul>",
                    ),
                    (
                        "check",
                        "Ai chịu trách nhiệm về tính chính xác của một tin bài?",
                        ["Quản trị hệ thống", "Người đăng tin bài", "Nhà cung cấp phần mềm"],
                        2,
                        "Người đăng chịu trách nhiệm nội dung; lãnh đạo cơ quan duyệt trước khi xuất bản.",
                    ),
                ],
            },
            "en": {
                "title": "Overview of the electronic information portal",
                "summary": "What the portal is for and who is responsible for its content.",
                "body": [
                    ("h", "What the portal does"),
                    (
                        "p",
                        "<p>The electronic information portal is the official channel through which the Ministry "
                        "and each mission abroad inform citizens, businesses and international partners. Every "
                        "mission has its own sub-site with news, consular notices and links to public services.</p>",
                    ),
                    (
                        "policy",
                        "<p>Every article must be <b>approved by the head of the unit</b> before it is published. "
                        "The author is responsible for the accuracy of text and images.</p>",
                    ),
                    ("h", "Roles on the portal"),
                    (
                        "p",
                        "<ul><li><b>Editor</b>: writes articles and submits them.</li><li><b>Approver</b>: checks "
                        "and publishes.</li><li><b>Administrator</b>: manages sections and accounts.</li></ul>",
                    ),
                    (
                        "check",
                        "Who is responsible for the accuracy of an article?",
                        ["The system administrator", "The author of the article", "The software vendor"],
                        2,
                        "The author answers for the content; the head of the unit approves it before publication.",
                    ),
                ],
            },
        },
        {
            "slug": "dang-tin-bai",
            "minutes": 25,
            "vi": {
                "title": "Soạn và gửi duyệt một tin bài",
                "summary": "Từng bước tạo tin bài có ảnh, chú thích và chuyên mục.",
                "body": [
                    (
                        "steps",
                        "Tạo tin bài mới",
                        [
                            "<p>Đăng nhập Cổng bằng tài khoản công vụ, chọn <b>Tin bài → Thêm mới</b>.</p>",
                            "<p>Nhập <b>tiêu đề</b> ngắn gọn (dưới 100 ký tự) và <b>tóm tắt</b> 1–2 câu.</p>",
                            "<p>Chọn <b>chuyên mục</b> (ví dụ: Hoạt động của Đại sứ quán).</p>",
                            "<p>Chèn ảnh: nhấn <b>Ảnh</b>, tải ảnh lên, nhập chú thích và nguồn ảnh.</p>",
                            "<p>Nhấn <b>Gửi duyệt</b>. Tin chuyển sang trạng thái <i>Chờ duyệt</i>.</p>",
                        ],
                    ),
                    (
                        "tip",
                        "<p>Ảnh nên có chiều ngang tối thiểu 1200 điểm ảnh và dung lượng dưới 2 MB để trang tải nhanh "
                        "trên điện thoại.</p>",
                    ),
                    (
                        "warning",
                        "<p>Không đăng ảnh có thông tin cá nhân (hộ chiếu, số điện thoại) của công dân khi chưa có sự "
                        "đồng ý.</p>",
                    ),
                    (
                        "check",
                        "Sau khi nhấn “Gửi duyệt”, tin bài ở trạng thái nào?",
                        ["Đã xuất bản", "Chờ duyệt", "Bản nháp bị xoá"],
                        2,
                        "Tin bài chỉ xuất hiện công khai sau khi người duyệt xuất bản.",
                    ),
                ],
            },
            "en": {
                "title": "Writing an article and submitting it for approval",
                "summary": "Step by step: an article with a picture, a caption and a section.",
                "body": [
                    (
                        "steps",
                        "Create a new article",
                        [
                            "<p>Sign in to the portal with your official account and choose <b>Articles → Add</b>.</p>",
                            "<p>Enter a short <b>title</b> (under 100 characters) and a one- or two-sentence "
                            "<b>summary</b>.</p>",
                            "<p>Choose the <b>section</b> (for example: Embassy activities).</p>",
                            "<p>Insert a picture: click <b>Image</b>, upload it, and enter a caption and the source.</p>",
                            "<p>Click <b>Submit for approval</b>. The article is now <i>Awaiting approval</i>.</p>",
                        ],
                    ),
                    (
                        "tip",
                        "<p>Pictures should be at least 1200 pixels wide and under 2 MB so the page loads quickly "
                        "on phones.</p>",
                    ),
                    (
                        "warning",
                        "<p>Never publish pictures showing citizens' personal data (passports, phone numbers) "
                        "without their consent.</p>",
                    ),
                    (
                        "check",
                        "After you click “Submit for approval”, what state is the article in?",
                        ["Published", "Awaiting approval", "Deleted draft"],
                        2,
                        "An article is public only once an approver publishes it.",
                    ),
                ],
            },
        },
        {
            "slug": "lien-ket-dich-vu-cong",
            "minutes": 20,
            "vi": {
                "title": "Liên kết dịch vụ công trực tuyến",
                "summary": "Đưa đường dẫn thủ tục lãnh sự lên Cổng đúng cách.",
                "body": [
                    (
                        "p",
                        "<p>Các thủ tục lãnh sự (cấp hộ chiếu, hợp pháp hoá lãnh sự, đăng ký khai sinh) được thực "
                        "hiện trên Cổng Dịch vụ công. Trang của cơ quan đại diện chỉ đặt <b>đường dẫn</b> tới thủ tục, "
                        "không sao chép biểu mẫu.</p>",
                    ),
                    (
                        "steps",
                        "Thêm một liên kết dịch vụ công",
                        [
                            "<p>Vào <b>Dịch vụ công → Liên kết</b>, nhấn <b>Thêm</b>.</p>",
                            "<p>Dán đường dẫn thủ tục từ Cổng Dịch vụ công; hệ thống tự kiểm tra tên miền.</p>",
                            "<p>Nhập tên thủ tục bằng tiếng Việt và tiếng nước sở tại.</p>",
                            "<p>Lưu và kiểm tra liên kết trên trang của cơ quan.</p>",
                        ],
                    ),
                    (
                        "policy",
                        "<p>Chỉ liên kết tới tên miền chính thức <b>.gov.vn</b>. Liên kết tới trang trung gian thu "
                        "phí dịch vụ bị nghiêm cấm.</p>",
                    ),
                    (
                        "check",
                        "Vì sao không sao chép biểu mẫu thủ tục lên trang của cơ quan đại diện?",
                        [
                            "Vì biểu mẫu có thể thay đổi và bản sao sẽ lỗi thời",
                            "Vì trang không hiển thị được tệp PDF",
                            "Vì biểu mẫu chỉ dành cho cán bộ",
                        ],
                        1,
                        "Một nguồn duy nhất trên Cổng Dịch vụ công luôn là bản mới nhất.",
                    ),
                ],
            },
            "en": {
                "title": "Linking online public services",
                "summary": "Putting links to consular procedures on the portal the right way.",
                "body": [
                    (
                        "p",
                        "<p>Consular procedures (passports, consular legalisation, birth registration) are carried "
                        "out on the National Public Service Portal. A mission's page only <b>links</b> to the "
                        "procedure; it never copies the forms.</p>",
                    ),
                    (
                        "steps",
                        "Add a public-service link",
                        [
                            "<p>Go to <b>Public services → Links</b> and click <b>Add</b>.</p>",
                            "<p>Paste the procedure's address from the Public Service Portal; the domain is checked "
                            "automatically.</p>",
                            "<p>Enter the procedure's name in Vietnamese and in the host country's language.</p>",
                            "<p>Save, then check the link on the mission's page.</p>",
                        ],
                    ),
                    (
                        "policy",
                        "<p>Link only to official <b>.gov.vn</b> domains. Links to intermediaries that charge fees "
                        "are forbidden.</p>",
                    ),
                    (
                        "check",
                        "Why not copy a procedure's forms onto the mission's page?",
                        [
                            "Forms change, and the copy would go out of date",
                            "The page cannot show PDF files",
                            "Forms are for staff only",
                        ],
                        1,
                        "One source on the Public Service Portal is always the current version.",
                    ),
                ],
            },
        },
    ],
}

DOCUMENTS = {
    "slug": "quan-ly-van-ban",
    "hours": "4",
    "level": "intermediate",
    "mandatory": True,
    "valid_days": 730,
    "vi": {
        "title": "Hệ thống quản lý văn bản và điều hành trực tuyến",
        "summary": "Tiếp nhận văn bản đến, ban hành văn bản đi, xử lý theo luồng công việc và ký số trên hệ thống "
        "quản lý văn bản của Bộ.",
    },
    "en": {
        "title": "The online document management system",
        "summary": "Receiving incoming documents, issuing outgoing ones, working through workflows and signing "
        "digitally in the Ministry's document management system.",
    },
    "lessons": [
        {
            "slug": "van-ban-den",
            "minutes": 20,
            "vi": {
                "title": "Tiếp nhận và xử lý văn bản đến",
                "summary": "Vào sổ, phân công và theo dõi hạn xử lý.",
                "body": [
                    ("h", "Luồng văn bản đến"),
                    (
                        "p",
                        "<p>Văn bản đến được văn thư vào sổ, lãnh đạo phân công, chuyên viên xử lý và báo cáo kết "
                        "quả. Mỗi bước được ghi lại trên hệ thống nên có thể tra cứu ai đang giữ văn bản.</p>",
                    ),
                    (
                        "steps",
                        "Xử lý một văn bản được giao",
                        [
                            "<p>Mở mục <b>Văn bản đến → Chờ xử lý</b>; văn bản sắp đến hạn có biểu tượng đồng hồ.</p>",
                            "<p>Đọc văn bản và tệp đính kèm; nhấn <b>Ý kiến xử lý</b> để ghi chú.</p>",
                            "<p>Nếu cần phối hợp, chọn <b>Chuyển phối hợp</b> và chọn đơn vị.</p>",
                            "<p>Khi xong, nhấn <b>Hoàn thành</b> và đính kèm văn bản trả lời (nếu có).</p>",
                        ],
                    ),
                    ("tip", "<p>Bật thông báo trên điện thoại để không bỏ lỡ văn bản khẩn.</p>"),
                    (
                        "check",
                        "Ai phân công xử lý văn bản đến?",
                        ["Văn thư", "Lãnh đạo đơn vị", "Chuyên viên tự chọn"],
                        2,
                        "Văn thư vào sổ; lãnh đạo phân công.",
                    ),
                ],
            },
            "en": {
                "title": "Receiving and handling incoming documents",
                "summary": "Registering, assigning and keeping track of deadlines.",
                "body": [
                    ("h", "How incoming documents flow"),
                    (
                        "p",
                        "<p>The registry logs an incoming document, a manager assigns it, an officer handles it and "
                        "reports back. Every step is recorded, so anyone can see who holds a document.</p>",
                    ),
                    (
                        "steps",
                        "Handle a document assigned to you",
                        [
                            "<p>Open <b>Incoming → To do</b>; documents close to their deadline show a clock.</p>",
                            "<p>Read the document and its attachments; click <b>Comment</b> to take notes.</p>",
                            "<p>If others must contribute, choose <b>Forward for coordination</b> and pick the "
                            "unit.</p>",
                            "<p>When done, click <b>Complete</b> and attach the reply, if any.</p>",
                        ],
                    ),
                    ("tip", "<p>Turn on phone notifications so you never miss an urgent document.</p>"),
                    (
                        "check",
                        "Who assigns an incoming document?",
                        ["The registry", "The head of the unit", "Any officer who wants it"],
                        2,
                        "The registry logs it; the head of the unit assigns it.",
                    ),
                ],
            },
        },
        {
            "slug": "van-ban-di",
            "minutes": 25,
            "vi": {
                "title": "Soạn thảo và trình ký văn bản đi",
                "summary": "Dự thảo, xin ý kiến, trình ký và phát hành.",
                "body": [
                    (
                        "steps",
                        "Trình một văn bản đi",
                        [
                            "<p>Chọn <b>Văn bản đi → Dự thảo mới</b>, chọn loại văn bản và mẫu.</p>",
                            "<p>Tải lên dự thảo (.docx) và nhập trích yếu.</p>",
                            "<p>Thêm người <b>góp ý</b>, đặt hạn góp ý.</p>",
                            "<p>Sau khi tiếp thu, nhấn <b>Trình ký</b> và chọn người ký.</p>",
                            "<p>Văn thư cấp số, phát hành và gửi liên thông.</p>",
                        ],
                    ),
                    (
                        "policy",
                        "<p>Văn bản có nội dung <b>mật</b> không được soạn thảo, lưu trữ hay gửi trên hệ thống "
                        "này; thực hiện theo quy chế bảo vệ bí mật nhà nước.</p>",
                    ),
                    (
                        "check",
                        "Có được gửi văn bản mật qua hệ thống quản lý văn bản điện tử không?",
                        ["Có, nếu đặt mật khẩu", "Không", "Có, nếu gửi trong giờ hành chính"],
                        2,
                        "Văn bản mật tuân theo quy chế riêng, không dùng hệ thống này.",
                    ),
                ],
            },
            "en": {
                "title": "Drafting outgoing documents and submitting them for signature",
                "summary": "Draft, consult, submit for signature and issue.",
                "body": [
                    (
                        "steps",
                        "Submit an outgoing document",
                        [
                            "<p>Choose <b>Outgoing → New draft</b>, then the document type and template.</p>",
                            "<p>Upload the draft (.docx) and enter the subject line.</p>",
                            "<p>Add <b>reviewers</b> and a deadline for comments.</p>",
                            "<p>Once comments are taken in, click <b>Submit for signature</b> and choose the "
                            "signatory.</p>",
                            "<p>The registry numbers, issues and sends it through the inter-agency exchange.</p>",
                        ],
                    ),
                    (
                        "policy",
                        "<p>Documents with <b>classified</b> content must not be drafted, stored or sent on this "
                        "system; follow the rules on protecting state secrets.</p>",
                    ),
                    (
                        "check",
                        "May a classified document be sent through the electronic document system?",
                        ["Yes, with a password", "No", "Yes, during office hours"],
                        2,
                        "Classified documents follow separate rules and never use this system.",
                    ),
                ],
            },
        },
        {
            "slug": "ky-so",
            "minutes": 30,
            "vi": {
                "title": "Chữ ký số trên văn bản điện tử",
                "summary": "Ký số bằng chứng thư số cá nhân và kiểm tra chữ ký.",
                "body": [
                    (
                        "p",
                        "<p>Chữ ký số có giá trị pháp lý như chữ ký tay khi dùng chứng thư số hợp lệ do Ban Cơ yếu "
                        "Chính phủ cấp. Hệ thống hỗ trợ ký bằng USB token và ký số từ xa trên điện thoại.</p>",
                    ),
                    (
                        "steps",
                        "Ký số một văn bản",
                        [
                            "<p>Mở văn bản ở trạng thái <b>Chờ ký</b>, kiểm tra nội dung lần cuối.</p>",
                            "<p>Nhấn <b>Ký số</b>, chọn chứng thư của bạn.</p>",
                            "<p>Nhập mã PIN hoặc xác nhận trên ứng dụng điện thoại.</p>",
                            "<p>Kiểm tra biểu tượng chữ ký hợp lệ trên tệp PDF.</p>",
                        ],
                    ),
                    ("warning", "<p>Không bao giờ chia sẻ mã PIN hoặc để người khác giữ USB token của bạn.</p>"),
                    (
                        "check",
                        "Bạn nên làm gì khi mất USB token?",
                        [
                            "Chờ tìm lại trong vài tuần",
                            "Báo ngay để thu hồi chứng thư số",
                            "Mượn token của đồng nghiệp",
                        ],
                        2,
                        "Báo mất ngay để chứng thư bị thu hồi, tránh bị giả mạo chữ ký.",
                    ),
                ],
            },
            "en": {
                "title": "Digital signatures on electronic documents",
                "summary": "Signing with your personal certificate and checking a signature.",
                "body": [
                    (
                        "p",
                        "<p>A digital signature has the same legal value as a handwritten one when it uses a valid "
                        "certificate issued by the Government Cipher Committee. The system supports USB tokens and "
                        "remote signing on a phone.</p>",
                    ),
                    (
                        "steps",
                        "Sign a document digitally",
                        [
                            "<p>Open the document in <b>Awaiting signature</b> and check it one last time.</p>",
                            "<p>Click <b>Sign</b> and choose your certificate.</p>",
                            "<p>Enter your PIN or confirm in the phone app.</p>",
                            "<p>Check the valid-signature mark on the PDF.</p>",
                        ],
                    ),
                    ("warning", "<p>Never share your PIN or let anyone else keep your USB token.</p>"),
                    (
                        "check",
                        "What should you do if you lose your USB token?",
                        [
                            "Wait a few weeks to find it",
                            "Report it at once so the certificate is revoked",
                            "Borrow a colleague's token",
                        ],
                        2,
                        "Report it at once so the certificate is revoked and nobody can sign in your name.",
                    ),
                ],
            },
        },
        {
            "slug": "luu-tru-tra-cuu",
            "minutes": 15,
            "vi": {
                "title": "Lưu trữ và tra cứu hồ sơ công việc",
                "summary": "Lập hồ sơ điện tử và tìm lại văn bản nhanh.",
                "body": [
                    (
                        "p",
                        "<p>Mỗi việc nên có một <b>hồ sơ công việc</b> gom văn bản đến, văn bản đi và ghi chú. Cuối "
                        "năm, hồ sơ được nộp lưu trữ điện tử.</p>",
                    ),
                    (
                        "tip",
                        "<p>Tìm kiếm theo số ký hiệu, trích yếu hoặc người ký; dùng dấu ngoặc kép để tìm chính xác "
                        "cụm từ.</p>",
                    ),
                    (
                        "check",
                        "Hồ sơ công việc gồm những gì?",
                        ["Chỉ văn bản đến", "Văn bản đến, văn bản đi và ghi chú của một việc", "Thư điện tử cá nhân"],
                        2,
                        "Một hồ sơ gom mọi tài liệu của một việc.",
                    ),
                ],
            },
            "en": {
                "title": "Filing and finding case files",
                "summary": "Building electronic case files and finding documents quickly.",
                "body": [
                    (
                        "p",
                        "<p>Each piece of work should have a <b>case file</b> that gathers incoming and outgoing "
                        "documents and notes. At year end, case files go to the electronic archive.</p>",
                    ),
                    (
                        "tip",
                        "<p>Search by reference number, subject line or signatory; use quotation marks for an exact "
                        "phrase.</p>",
                    ),
                    (
                        "check",
                        "What goes into a case file?",
                        [
                            "Incoming documents only",
                            "The incoming and outgoing documents and notes of one piece of work",
                            "Personal e-mail",
                        ],
                        2,
                        "A case file gathers every document of one piece of work.",
                    ),
                ],
            },
        },
    ],
}

EXCHANGE = {
    "slug": "nen-tang-chia-se-du-lieu",
    "hours": "2.5",
    "level": "intermediate",
    "mandatory": False,
    "valid_days": None,
    "vi": {
        "title": "Nền tảng tích hợp, chia sẻ dữ liệu",
        "summary": "Dữ liệu nào được chia sẻ, cách đề nghị và phê duyệt quyền truy cập trên nền tảng tích hợp, "
        "chia sẻ dữ liệu của Bộ.",
    },
    "en": {
        "title": "The integrated data-exchange platform",
        "summary": "What data is shared, and how to request and authorise access on the Ministry's integrated "
        "data-exchange platform.",
    },
    "lessons": [
        {
            "slug": "du-lieu-duoc-chia-se",
            "minutes": 20,
            "vi": {
                "title": "Dữ liệu nào được chia sẻ",
                "summary": "Danh mục dữ liệu dùng chung và mức độ chia sẻ.",
                "body": [
                    (
                        "p",
                        "<p>Nền tảng kết nối hệ thống của Bộ với các cơ sở dữ liệu quốc gia (dân cư, hộ tịch, xuất "
                        "nhập cảnh) và giữa các đơn vị trong Bộ. Mỗi tập dữ liệu có <b>chủ quản</b> và <b>mức chia "
                        "sẻ</b>: mở, dùng chung có điều kiện, hoặc hạn chế.</p>",
                    ),
                    (
                        "policy",
                        "<p>Chỉ khai thác dữ liệu đúng mục đích đã được phê duyệt. Mọi lượt truy cập đều được "
                        "ghi nhật ký.</p>",
                    ),
                    (
                        "check",
                        "Ai quyết định mức chia sẻ của một tập dữ liệu?",
                        ["Bất kỳ người dùng nào", "Đơn vị chủ quản dữ liệu", "Nhà cung cấp hạ tầng"],
                        2,
                        "Đơn vị chủ quản quyết định và chịu trách nhiệm về dữ liệu.",
                    ),
                ],
            },
            "en": {
                "title": "What data is shared",
                "summary": "The catalogue of shared data and its sharing levels.",
                "body": [
                    (
                        "p",
                        "<p>The platform connects the Ministry's systems with national databases (population, civil "
                        "status, immigration) and links units within the Ministry. Each dataset has an <b>owner</b> "
                        "and a <b>sharing level</b>: open, shared on conditions, or restricted.</p>",
                    ),
                    (
                        "policy",
                        "<p>Use data only for the purpose that was approved. Every access is logged.</p>",
                    ),
                    (
                        "check",
                        "Who decides a dataset's sharing level?",
                        ["Any user", "The unit that owns the data", "The infrastructure provider"],
                        2,
                        "The owning unit decides and is accountable for its data.",
                    ),
                ],
            },
        },
        {
            "slug": "de-nghi-truy-cap",
            "minutes": 25,
            "vi": {
                "title": "Đề nghị quyền truy cập dữ liệu",
                "summary": "Lập phiếu đề nghị với mục đích, phạm vi và thời hạn.",
                "body": [
                    (
                        "steps",
                        "Gửi đề nghị truy cập",
                        [
                            "<p>Vào <b>Danh mục dữ liệu</b>, tìm tập dữ liệu cần dùng.</p>",
                            "<p>Nhấn <b>Đề nghị truy cập</b>; nêu rõ <b>mục đích</b> và căn cứ pháp lý.</p>",
                            "<p>Chọn <b>phạm vi</b> trường dữ liệu tối thiểu cần thiết.</p>",
                            "<p>Đặt <b>thời hạn</b> truy cập và gửi; theo dõi ở mục <i>Đề nghị của tôi</i>.</p>",
                        ],
                    ),
                    (
                        "tip",
                        "<p>Đề nghị càng hẹp (ít trường, thời hạn ngắn) càng được phê duyệt nhanh.</p>",
                    ),
                    (
                        "check",
                        "Nguyên tắc chọn phạm vi dữ liệu là gì?",
                        ["Lấy tất cả cho tiện", "Tối thiểu cần thiết cho mục đích", "Theo ý người quản trị"],
                        2,
                        "Nguyên tắc tối thiểu giảm rủi ro lộ lọt dữ liệu cá nhân.",
                    ),
                ],
            },
            "en": {
                "title": "Requesting access to data",
                "summary": "A request that states the purpose, scope and duration.",
                "body": [
                    (
                        "steps",
                        "Send an access request",
                        [
                            "<p>Go to the <b>Data catalogue</b> and find the dataset you need.</p>",
                            "<p>Click <b>Request access</b>; state the <b>purpose</b> and the legal basis.</p>",
                            "<p>Choose the smallest <b>scope</b> of fields you need.</p>",
                            "<p>Set the access <b>period</b> and send; follow it under <i>My requests</i>.</p>",
                        ],
                    ),
                    ("tip", "<p>The narrower the request (few fields, short period), the faster it is approved.</p>"),
                    (
                        "check",
                        "How should you choose the scope of data?",
                        [
                            "Take everything, just in case",
                            "The minimum needed for the purpose",
                            "Whatever the administrator prefers",
                        ],
                        2,
                        "Data minimisation lowers the risk of personal data leaking.",
                    ),
                ],
            },
        },
        {
            "slug": "phe-duyet-truy-cap",
            "minutes": 20,
            "vi": {
                "title": "Phê duyệt và thu hồi quyền truy cập",
                "summary": "Dành cho lãnh đạo đơn vị chủ quản dữ liệu.",
                "body": [
                    (
                        "steps",
                        "Xem xét một đề nghị",
                        [
                            "<p>Mở <b>Đề nghị chờ duyệt</b>; kiểm tra mục đích và căn cứ pháp lý.</p>",
                            "<p>Thu hẹp phạm vi nếu cần, rồi <b>Phê duyệt</b> hoặc <b>Từ chối</b> kèm lý do.</p>",
                            "<p>Định kỳ rà soát <b>Quyền đang hiệu lực</b> và thu hồi quyền không còn cần.</p>",
                        ],
                    ),
                    (
                        "warning",
                        "<p>Khi cán bộ chuyển công tác, quyền truy cập của họ phải được thu hồi trong ngày.</p>",
                    ),
                    (
                        "check",
                        "Khi nào phải thu hồi quyền truy cập?",
                        ["Không bao giờ", "Khi hết mục đích hoặc cán bộ chuyển công tác", "Mỗi năm một lần"],
                        2,
                        "Quyền chỉ tồn tại khi còn cần cho công việc.",
                    ),
                ],
            },
            "en": {
                "title": "Approving and revoking access",
                "summary": "For heads of units that own data.",
                "body": [
                    (
                        "steps",
                        "Review a request",
                        [
                            "<p>Open <b>Requests to review</b>; check the purpose and the legal basis.</p>",
                            "<p>Narrow the scope if needed, then <b>Approve</b> or <b>Refuse</b> with a reason.</p>",
                            "<p>Regularly review <b>Active permissions</b> and revoke those no longer needed.</p>",
                        ],
                    ),
                    ("warning", "<p>When an officer changes post, their access must be revoked the same day.</p>"),
                    (
                        "check",
                        "When must access be revoked?",
                        ["Never", "When the purpose ends or the officer changes post", "Once a year"],
                        2,
                        "Access exists only while the work needs it.",
                    ),
                ],
            },
        },
    ],
}

DIGITAL = {
    "slug": "ky-nang-so-cho-can-bo-ngoai-giao",
    "hours": "5",
    "level": "beginner",
    "mandatory": True,
    "valid_days": 365,
    "vi": {
        "title": "Kỹ năng số cho cán bộ ngoại giao",
        "summary": "Làm việc an toàn trên không gian mạng, bảo vệ dữ liệu cá nhân, sử dụng trí tuệ nhân tạo có "
        "trách nhiệm và nhận diện thông tin sai lệch.",
    },
    "en": {
        "title": "Digital skills for diplomats",
        "summary": "Working safely in cyberspace, protecting personal data, using AI responsibly and spotting "
        "disinformation.",
    },
    "lessons": [
        {
            "slug": "an-toan-khong-gian-mang",
            "minutes": 30,
            "vi": {
                "title": "Làm việc an toàn trên không gian mạng",
                "summary": "Mật khẩu, xác thực hai lớp và thư lừa đảo.",
                "body": [
                    ("h", "Ba thói quen bảo vệ tài khoản"),
                    (
                        "p",
                        "<ol><li>Dùng <b>cụm mật khẩu</b> dài (từ 12 ký tự), khác nhau cho mỗi hệ thống.</li>"
                        "<li>Bật <b>xác thực hai lớp</b> cho thư công vụ và hệ thống văn bản.</li>"
                        "<li>Cập nhật hệ điều hành và trình duyệt ngay khi có bản vá.</li></ol>",
                    ),
                    (
                        "warning",
                        "<p>Thư giả danh lãnh đạo yêu cầu chuyển tiền hoặc gửi tài liệu gấp là thủ đoạn phổ biến. "
                        "Luôn xác minh qua một kênh khác (gọi điện).</p>",
                    ),
                    (
                        "steps",
                        "Kiểm tra một thư đáng ngờ",
                        [
                            "<p>Xem kỹ <b>địa chỉ người gửi</b>, không chỉ tên hiển thị.</p>",
                            "<p>Di chuột lên đường dẫn để xem địa chỉ thật trước khi nhấn.</p>",
                            "<p>Không mở tệp đính kèm lạ; chuyển thư cho bộ phận CNTT bằng nút <b>Báo cáo lừa "
                            "đảo</b>.</p>",
                        ],
                    ),
                    (
                        "check",
                        "Bạn nhận thư “Đại sứ” yêu cầu gửi gấp danh sách đoàn. Việc đầu tiên nên làm?",
                        ["Gửi ngay", "Gọi điện xác minh với Đại sứ", "Chuyển tiếp cho đồng nghiệp"],
                        2,
                        "Xác minh qua kênh khác trước khi gửi bất kỳ tài liệu nào.",
                    ),
                ],
            },
            "en": {
                "title": "Working safely in cyberspace",
                "summary": "Passwords, two-factor authentication and phishing.",
                "body": [
                    ("h", "Three habits that protect your accounts"),
                    (
                        "p",
                        "<ol><li>Use long <b>passphrases</b> (12+ characters), different for each system.</li>"
                        "<li>Turn on <b>two-factor authentication</b> for official e-mail and the document "
                        "system.</li><li>Install operating-system and browser updates as soon as they appear.</li></ol>",
                    ),
                    (
                        "warning",
                        "<p>E-mails pretending to come from a senior official and asking for an urgent transfer or "
                        "document are a common trick. Always check through another channel (call).</p>",
                    ),
                    (
                        "steps",
                        "Check a suspicious e-mail",
                        [
                            "<p>Look at the <b>sender's address</b>, not just the display name.</p>",
                            "<p>Hover over a link to see the real address before clicking.</p>",
                            "<p>Do not open unexpected attachments; send the e-mail to IT with the <b>Report "
                            "phishing</b> button.</p>",
                        ],
                    ),
                    (
                        "check",
                        "An e-mail from “the Ambassador” urgently asks for the delegation list. What do you do first?",
                        ["Send it at once", "Call the Ambassador to check", "Forward it to a colleague"],
                        2,
                        "Check through another channel before sending any document.",
                    ),
                ],
            },
        },
        {
            "slug": "bao-ve-du-lieu-ca-nhan",
            "minutes": 25,
            "vi": {
                "title": "Bảo vệ dữ liệu cá nhân",
                "summary": "Nghị định 13/2023/NĐ-CP trong công tác lãnh sự và đối ngoại.",
                "body": [
                    (
                        "p",
                        "<p>Cơ quan đại diện xử lý nhiều dữ liệu cá nhân của công dân: hộ chiếu, hộ tịch, thông tin "
                        "bảo hộ. Theo Nghị định 13/2023/NĐ-CP, dữ liệu chỉ được thu thập đúng mục đích, lưu giữ "
                        "trong thời hạn cần thiết và bảo vệ khỏi truy cập trái phép.</p>",
                    ),
                    (
                        "policy",
                        "<p>Không gửi dữ liệu cá nhân qua ứng dụng nhắn tin cá nhân hay thư điện tử ngoài hệ thống "
                        "công vụ.</p>",
                    ),
                    (
                        "check",
                        "Có nên gửi ảnh hộ chiếu của công dân qua ứng dụng nhắn tin cá nhân không?",
                        ["Có, nếu gấp", "Không", "Có, nếu xoá sau khi gửi"],
                        2,
                        "Chỉ dùng kênh công vụ được phép cho dữ liệu cá nhân.",
                    ),
                ],
            },
            "en": {
                "title": "Protecting personal data",
                "summary": "Decree 13/2023/ND-CP in consular and external work.",
                "body": [
                    (
                        "p",
                        "<p>Missions handle a great deal of citizens' personal data: passports, civil status, "
                        "consular protection. Under Decree 13/2023/ND-CP, data may be collected only for its purpose, "
                        "kept only as long as needed and protected from unauthorised access.</p>",
                    ),
                    (
                        "policy",
                        "<p>Never send personal data through personal messaging apps or e-mail outside the official "
                        "systems.</p>",
                    ),
                    (
                        "check",
                        "Should you send a photo of a citizen's passport through a personal messaging app?",
                        ["Yes, if it is urgent", "No", "Yes, if you delete it afterwards"],
                        2,
                        "Use only the approved official channels for personal data.",
                    ),
                ],
            },
        },
        {
            "slug": "su-dung-ai-co-trach-nhiem",
            "minutes": 25,
            "vi": {
                "title": "Sử dụng trí tuệ nhân tạo có trách nhiệm",
                "summary": "Dùng AI để soạn thảo và dịch mà không lộ thông tin.",
                "body": [
                    (
                        "p",
                        "<p>Công cụ AI giúp tóm tắt, dịch và soạn nháp nhanh hơn, nhưng có thể <b>bịa thông tin</b> "
                        "và lưu lại dữ liệu bạn nhập.</p>",
                    ),
                    (
                        "policy",
                        "<p>Không nhập văn bản mật, dữ liệu cá nhân hay nội dung đàm phán chưa công bố vào công cụ "
                        "AI công cộng.</p>",
                    ),
                    (
                        "tip",
                        "<p>Luôn kiểm tra lại số liệu, tên riêng và trích dẫn do AI tạo ra với nguồn gốc.</p>",
                    ),
                    (
                        "check",
                        "Nội dung nào được phép đưa vào công cụ AI công cộng?",
                        [
                            "Dự thảo lập trường đàm phán",
                            "Thông cáo báo chí đã công bố",
                            "Danh sách công dân cần bảo hộ",
                        ],
                        2,
                        "Chỉ dùng thông tin đã công khai.",
                    ),
                ],
            },
            "en": {
                "title": "Using AI responsibly",
                "summary": "Drafting and translating with AI without leaking information.",
                "body": [
                    (
                        "p",
                        "<p>AI tools summarise, translate and draft faster, but they can <b>make things up</b> and "
                        "may keep what you type.</p>",
                    ),
                    (
                        "policy",
                        "<p>Never put classified text, personal data or unpublished negotiating content into public "
                        "AI tools.</p>",
                    ),
                    ("tip", "<p>Always check figures, names and quotations produced by AI against the source.</p>"),
                    (
                        "check",
                        "Which content may go into a public AI tool?",
                        [
                            "A draft negotiating position",
                            "A published press release",
                            "A list of citizens needing consular protection",
                        ],
                        2,
                        "Use only information that is already public.",
                    ),
                ],
            },
        },
        {
            "slug": "nhan-dien-thong-tin-sai-lech",
            "minutes": 20,
            "vi": {
                "title": "Nhận diện thông tin sai lệch",
                "summary": "Kiểm chứng tin tức và ảnh trước khi chia sẻ hoặc phản hồi.",
                "body": [
                    (
                        "steps",
                        "Kiểm chứng một thông tin lan truyền",
                        [
                            "<p>Tìm <b>nguồn gốc</b>: ai đăng đầu tiên, khi nào?</p>",
                            "<p>Đối chiếu với ít nhất hai nguồn chính thống độc lập.</p>",
                            "<p>Tìm ảnh ngược (reverse image search) để phát hiện ảnh cũ bị dùng lại.</p>",
                            "<p>Báo cáo lãnh đạo trước khi phản hồi công khai.</p>",
                        ],
                    ),
                    (
                        "warning",
                        "<p>Video “deepfake” có thể giả giọng và hình ảnh lãnh đạo. Cảnh giác với nội dung gây sốc "
                        "lan truyền nhanh.</p>",
                    ),
                    (
                        "check",
                        "Bước đầu tiên khi gặp một tin gây sốc về quan hệ song phương?",
                        ["Chia sẻ để mọi người biết", "Tìm nguồn gốc và kiểm chứng", "Bình luận phản bác ngay"],
                        2,
                        "Kiểm chứng trước, phản hồi sau và theo chỉ đạo.",
                    ),
                ],
            },
            "en": {
                "title": "Spotting disinformation",
                "summary": "Checking news and images before sharing or responding.",
                "body": [
                    (
                        "steps",
                        "Check a story that is spreading",
                        [
                            "<p>Find the <b>origin</b>: who posted it first, and when?</p>",
                            "<p>Compare it with at least two independent official sources.</p>",
                            "<p>Run a reverse image search to catch old pictures reused.</p>",
                            "<p>Report to your superiors before any public response.</p>",
                        ],
                    ),
                    (
                        "warning",
                        "<p>Deepfake videos can imitate a leader's voice and face. Be wary of shocking content that "
                        "spreads fast.</p>",
                    ),
                    (
                        "check",
                        "What is the first step when you see shocking news about bilateral relations?",
                        ["Share it so people know", "Find its origin and check it", "Post a rebuttal at once"],
                        2,
                        "Check first; respond later and as instructed.",
                    ),
                ],
            },
        },
    ],
}

COURSES = [DIGITAL, DOCUMENTS, PORTAL, EXCHANGE]
