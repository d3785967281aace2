"""The frameworks HocSo ships with, frozen for migration 0002 (edit through the admin, not here).

Sources: Circular 02/2025/TT-BGDĐT of the Ministry of Education and Training (Khung năng lực số
cho người học, 6 domains / 24 component competencies / 8 levels in 4 tiers); DigComp 2.2 (JRC,
Vuorikari, Kluzer & Punie 2022: 5 areas / 21 competences / 8 proficiency levels). The Circular's
domains 1–5 follow DigComp's 21 competences one for one and add domain 6 (AI), which is what the
crosswalk records. The ministry framework (MOFA-DP) describes the Ministry's own platforms.
"""

VN_LEVELS = [
    # rank, code, name_vi, name_en, tier_vi, tier_en, min_score
    (1, "CB1", "Cơ bản 1", "Basic 1", "Cơ bản", "Basic", 0.0),
    (2, "CB2", "Cơ bản 2", "Basic 2", "Cơ bản", "Basic", 0.125),
    (3, "TC1", "Trung cấp 1", "Intermediate 1", "Trung cấp", "Intermediate", 0.25),
    (4, "TC2", "Trung cấp 2", "Intermediate 2", "Trung cấp", "Intermediate", 0.375),
    (5, "NC1", "Nâng cao 1", "Advanced 1", "Nâng cao", "Advanced", 0.5),
    (6, "NC2", "Nâng cao 2", "Advanced 2", "Nâng cao", "Advanced", 0.625),
    (7, "CS1", "Chuyên sâu 1", "Specialised 1", "Chuyên sâu", "Specialised", 0.75),
    (8, "CS2", "Chuyên sâu 2", "Specialised 2", "Chuyên sâu", "Specialised", 0.875),
]

# The band (``assessments.models.Band``) of each tier, by its English name.
TIER_BANDS = {
    "basic": "basic",
    "foundation": "basic",
    "intermediate": "intermediate",
    "advanced": "advanced",
    "specialised": "specialised",
    "specialized": "specialised",
    "highly specialised": "specialised",
    "highly specialized": "specialised",
}

DIGCOMP_LEVELS = [
    (1, "1", "Mức 1", "Level 1", "Cơ bản", "Foundation", 0.0),
    (2, "2", "Mức 2", "Level 2", "Cơ bản", "Foundation", 0.125),
    (3, "3", "Mức 3", "Level 3", "Trung cấp", "Intermediate", 0.25),
    (4, "4", "Mức 4", "Level 4", "Trung cấp", "Intermediate", 0.375),
    (5, "5", "Mức 5", "Level 5", "Nâng cao", "Advanced", 0.5),
    (6, "6", "Mức 6", "Level 6", "Nâng cao", "Advanced", 0.625),
    (7, "7", "Mức 7", "Level 7", "Chuyên sâu", "Highly specialised", 0.75),
    (8, "8", "Mức 8", "Level 8", "Chuyên sâu", "Highly specialised", 0.875),
]

# area code, name_vi, name_en, [(code, name_vi, name_en, description_vi, description_en)]
VN_AREAS = [
    (
        "1",
        "Khai thác dữ liệu và thông tin",
        "Data and information exploitation",
        [
            (
                "1.1",
                "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số",
                "Browsing, searching and filtering data, information and digital content",
                "Xác định nhu cầu thông tin, tìm kiếm, truy cập và lọc dữ liệu, thông tin, nội dung số; xây dựng chiến lược tìm kiếm.",
                "Articulate information needs; search for, access and filter data, information and digital content; build search strategies.",
            ),
            (
                "1.2",
                "Đánh giá dữ liệu, thông tin và nội dung số",
                "Evaluating data, information and digital content",
                "Phân tích, so sánh, đánh giá độ tin cậy của nguồn và nội dung dữ liệu, thông tin số.",
                "Analyse, compare and critically evaluate the credibility and reliability of sources and their content.",
            ),
            (
                "1.3",
                "Quản lý dữ liệu, thông tin và nội dung số",
                "Managing data, information and digital content",
                "Tổ chức, lưu trữ, truy xuất và xử lý dữ liệu, thông tin, nội dung số trong môi trường có cấu trúc.",
                "Organise, store, retrieve and process data, information and content in a structured environment.",
            ),
        ],
    ),
    (
        "2",
        "Giao tiếp và hợp tác trong môi trường số",
        "Communication and collaboration in the digital environment",
        [
            (
                "2.1",
                "Tương tác thông qua công nghệ số",
                "Interacting through digital technologies",
                "Tương tác bằng nhiều công nghệ số và chọn phương tiện giao tiếp phù hợp với bối cảnh.",
                "Interact through a variety of digital technologies and choose the means of communication that fits the context.",
            ),
            (
                "2.2",
                "Chia sẻ thông tin và nội dung thông qua công nghệ số",
                "Sharing information and content through digital technologies",
                "Chia sẻ dữ liệu, thông tin, nội dung số bằng công nghệ phù hợp; biết trích dẫn và ghi nguồn.",
                "Share data, information and content through appropriate technologies; know referencing and attribution.",
            ),
            (
                "2.3",
                "Sử dụng công nghệ số để thực hiện trách nhiệm công dân",
                "Engaging in citizenship through digital technologies",
                "Tham gia xã hội qua các dịch vụ công và tư trên môi trường số; thực hiện quyền và trách nhiệm công dân.",
                "Take part in society through public and private digital services and exercise civic rights and duties.",
            ),
            (
                "2.4",
                "Hợp tác thông qua công nghệ số",
                "Collaborating through digital technologies",
                "Dùng công cụ số để làm việc nhóm, cùng xây dựng và cùng tạo ra tài nguyên, tri thức.",
                "Use digital tools for teamwork and for co-constructing and co-creating resources and knowledge.",
            ),
            (
                "2.5",
                "Quy tắc ứng xử trên mạng",
                "Netiquette",
                "Tuân thủ chuẩn mực hành vi khi giao tiếp trên môi trường số; tôn trọng sự đa dạng văn hoá và thế hệ.",
                "Follow behavioural norms online and adapt communication to cultural and generational diversity.",
            ),
            (
                "2.6",
                "Quản lý danh tính số",
                "Managing digital identity",
                "Tạo, quản lý và bảo vệ danh tính số, uy tín và dấu vết số của bản thân.",
                "Create, manage and protect one's digital identity, reputation and digital footprint.",
            ),
        ],
    ),
    (
        "3",
        "Sáng tạo nội dung số",
        "Digital content creation",
        [
            (
                "3.1",
                "Phát triển nội dung số",
                "Developing digital content",
                "Tạo và chỉnh sửa nội dung số ở nhiều định dạng; thể hiện bản thân qua phương tiện số.",
                "Create and edit digital content in different formats; express oneself through digital means.",
            ),
            (
                "3.2",
                "Tích hợp và tạo lập lại nội dung số",
                "Integrating and re-elaborating digital content",
                "Chỉnh sửa, cải tiến và tích hợp thông tin, nội dung mới vào kho tri thức sẵn có.",
                "Modify, refine, improve and integrate new information and content into an existing body of knowledge.",
            ),
            (
                "3.3",
                "Thực thi bản quyền và giấy phép",
                "Copyright and licences",
                "Hiểu và áp dụng quy định về bản quyền, giấy phép đối với dữ liệu, thông tin và nội dung số.",
                "Understand and apply copyright and licences to data, information and digital content.",
            ),
            (
                "3.4",
                "Lập trình",
                "Programming",
                "Lập kế hoạch và xây dựng chuỗi chỉ dẫn dễ hiểu để hệ thống máy tính giải quyết vấn đề hoặc thực hiện nhiệm vụ.",
                "Plan and develop a sequence of understandable instructions for a computing system to solve a problem or perform a task.",
            ),
        ],
    ),
    (
        "4",
        "An toàn",
        "Safety",
        [
            (
                "4.1",
                "Bảo vệ thiết bị",
                "Protecting devices",
                "Bảo vệ thiết bị và nội dung số; hiểu rủi ro, mối đe doạ và các biện pháp an toàn, bảo mật.",
                "Protect devices and digital content; understand risks and threats and apply safety and security measures.",
            ),
            (
                "4.2",
                "Bảo vệ dữ liệu cá nhân và quyền riêng tư",
                "Protecting personal data and privacy",
                "Bảo vệ dữ liệu cá nhân và quyền riêng tư trong môi trường số; hiểu cách dữ liệu được sử dụng và chia sẻ.",
                "Protect personal data and privacy in digital environments; understand how personal data is used and shared.",
            ),
            (
                "4.3",
                "Bảo vệ sức khỏe và an sinh số",
                "Protecting health and digital well-being",
                "Tránh rủi ro cho sức khoẻ thể chất, tinh thần khi dùng công nghệ số; phòng tránh bắt nạt trên mạng.",
                "Avoid risks to physical and mental health when using digital technologies, including cyberbullying.",
            ),
            (
                "4.4",
                "Bảo vệ môi trường",
                "Protecting the environment",
                "Nhận biết tác động của công nghệ số và việc sử dụng chúng đối với môi trường.",
                "Be aware of the environmental impact of digital technologies and their use.",
            ),
        ],
    ),
    (
        "5",
        "Giải quyết vấn đề",
        "Problem solving",
        [
            (
                "5.1",
                "Giải quyết các vấn đề kỹ thuật",
                "Solving technical problems",
                "Xác định và giải quyết sự cố kỹ thuật khi vận hành thiết bị và môi trường số.",
                "Identify and solve technical problems when operating devices and using digital environments.",
            ),
            (
                "5.2",
                "Xác định nhu cầu và giải pháp công nghệ",
                "Identifying needs and technological responses",
                "Đánh giá nhu cầu, lựa chọn và điều chỉnh công cụ số phù hợp để đáp ứng nhu cầu.",
                "Assess needs and identify, evaluate, select and adjust digital tools and responses to meet them.",
            ),
            (
                "5.3",
                "Sử dụng sáng tạo công nghệ số",
                "Creatively using digital technologies",
                "Sử dụng công nghệ số để đổi mới quy trình, sản phẩm và tạo ra tri thức.",
                "Use digital technologies to innovate processes and products and to create knowledge.",
            ),
            (
                "5.4",
                "Xác định các vấn đề cần cải thiện về năng lực số",
                "Identifying digital competence gaps",
                "Nhận biết những điểm cần cải thiện về năng lực số của bản thân và người khác; chủ động học tập, cập nhật.",
                "Understand where one's own digital competence needs improving, support others, and keep up to date.",
            ),
        ],
    ),
    (
        "6",
        "Ứng dụng trí tuệ nhân tạo",
        "Applying artificial intelligence",
        [
            (
                "6.1",
                "Hiểu biết về trí tuệ nhân tạo",
                "Understanding artificial intelligence",
                "Hiểu khái niệm, nguyên lý hoạt động, khả năng và giới hạn của hệ thống trí tuệ nhân tạo.",
                "Understand what AI systems are, how they work, and what they can and cannot do.",
            ),
            (
                "6.2",
                "Sử dụng trí tuệ nhân tạo",
                "Using artificial intelligence",
                "Sử dụng công cụ trí tuệ nhân tạo (kể cả AI tạo sinh) hiệu quả, có đạo đức và trách nhiệm.",
                "Use AI tools, including generative AI, effectively, ethically and responsibly.",
            ),
            (
                "6.3",
                "Đánh giá trí tuệ nhân tạo",
                "Evaluating artificial intelligence",
                "Đánh giá kết quả, độ tin cậy, thiên lệch và rủi ro của hệ thống trí tuệ nhân tạo.",
                "Evaluate the outputs, reliability, bias and risks of AI systems.",
            ),
        ],
    ),
]

DIGCOMP_AREA_NAMES = {
    "1": ("Hiểu biết về thông tin và dữ liệu", "Information and data literacy"),
    "2": ("Giao tiếp và hợp tác", "Communication and collaboration"),
    "3": ("Sáng tạo nội dung số", "Digital content creation"),
    "4": ("An toàn", "Safety"),
    "5": ("Giải quyết vấn đề", "Problem solving"),
}
# DigComp 2.2 competence titles where they differ from the Circular's English rendering.
DIGCOMP_TITLES = {
    "2.2": ("Chia sẻ thông qua công nghệ số", "Sharing through digital technologies"),
    "4.3": ("Bảo vệ sức khỏe và an sinh", "Protecting health and well-being"),
    "5.3": ("Sử dụng sáng tạo công nghệ số", "Creatively using digital technologies"),
}

MOFA_AREAS = [
    (
        "NT",
        "Nền tảng số của Bộ",
        "The Ministry's digital platforms",
        [
            (
                "NT1",
                "Khai thác Cổng thông tin điện tử",
                "Using the electronic information portal",
                "Tra cứu, đăng tải và cập nhật thông tin trên Cổng thông tin điện tử của Bộ đúng quy trình.",
                "Find, publish and update information on the Ministry's electronic information portal following procedure.",
                [("1.1", "partial"), ("2.2", "partial"), ("2.3", "partial")],
            ),
            (
                "NT2",
                "Sử dụng Hệ thống quản lý văn bản và điều hành",
                "Using the online document-management system",
                "Tiếp nhận, xử lý, trình ký, chuyển và lưu trữ văn bản điện tử trên hệ thống quản lý văn bản.",
                "Receive, process, route for signature, forward and file electronic documents in the document-management system.",
                [("1.3", "partial"), ("2.1", "partial"), ("2.4", "partial")],
            ),
            (
                "NT3",
                "Sử dụng chữ ký số",
                "Using digital signatures",
                "Ký số, kiểm tra chữ ký số và bảo quản thiết bị, chứng thư chữ ký số.",
                "Sign documents digitally, verify signatures and safeguard signing devices and certificates.",
                [("4.2", "partial"), ("2.6", "partial"), ("4.1", "partial")],
            ),
            (
                "NT4",
                "Khai thác Nền tảng tích hợp, chia sẻ dữ liệu",
                "Using the integrated data-exchange platform",
                "Trao đổi, chia sẻ dữ liệu với các cơ quan qua nền tảng tích hợp, chia sẻ dữ liệu đúng thẩm quyền.",
                "Exchange data with other agencies through the integrated data-exchange platform within one's authority.",
                [("1.3", "partial"), ("2.2", "partial"), ("5.2", "partial")],
            ),
        ],
    ),
    (
        "AT",
        "An toàn và trách nhiệm",
        "Security and responsibility",
        [
            (
                "AT1",
                "Bảo đảm an toàn thông tin trong công tác đối ngoại",
                "Information security in diplomatic work",
                "Phân loại, bảo vệ thông tin, nhận diện lừa đảo và tấn công mạng trong công tác đối ngoại, kể cả tại cơ quan đại diện.",
                "Classify and protect information and recognise phishing and cyber attacks in diplomatic work, including at missions abroad.",
                [("4.1", "partial"), ("4.2", "partial"), ("2.5", "partial")],
            ),
            (
                "AT2",
                "Sử dụng trí tuệ nhân tạo có trách nhiệm",
                "Responsible use of artificial intelligence",
                "Sử dụng AI trong công việc mà không đưa thông tin mật, nội bộ lên công cụ AI; kiểm chứng kết quả; tôn trọng bản quyền.",
                "Use AI at work without entering classified or internal information, verify its output and respect copyright.",
                [("6.1", "partial"), ("6.2", "partial"), ("6.3", "partial"), ("3.3", "partial")],
            ),
        ],
    ),
]

FRAMEWORKS = [
    {
        "code": "VN-DCF",
        "version": "2025",
        "name_vi": "Khung năng lực số cho người học (Thông tư 02/2025/TT-BGDĐT)",
        "name_en": "Digital Competence Framework for Learners (Circular 02/2025/TT-BGDĐT)",
        "source": "Thông tư 02/2025/TT-BGDĐT ngày 24/01/2025 của Bộ Giáo dục và Đào tạo",
        "description_vi": "6 miền năng lực, 24 năng lực thành phần, 8 bậc thuộc 4 mức: Cơ bản, Trung cấp, Nâng cao, Chuyên sâu.",
        "description_en": "6 domains, 24 component competencies, 8 levels in 4 tiers: Basic, Intermediate, Advanced, Specialised.",
    },
    {
        "code": "DIGCOMP",
        "version": "2.2",
        "name_vi": "Khung năng lực số cho công dân của EU (DigComp 2.2)",
        "name_en": "The Digital Competence Framework for Citizens (DigComp 2.2)",
        "source": "Vuorikari, Kluzer & Punie (2022), EUR 31006 EN, JRC, European Commission",
        "description_vi": "5 lĩnh vực, 21 năng lực, 8 mức thành thạo.",
        "description_en": "5 areas, 21 competences, 8 proficiency levels.",
    },
    {
        "code": "MOFA-DP",
        "version": "1.0",
        "is_draft": True,
        "name_vi": "Khung năng lực sử dụng nền tảng số của Bộ Ngoại giao",
        "name_en": "Ministry of Foreign Affairs digital platforms competence framework",
        "source": "Đề xuất dự thảo của Trung tâm Thông tin và Chuyển đổi số, Bộ Ngoại giao (chưa ban hành)",
        "description_vi": "Dự thảo đề xuất, chưa được ban hành bằng văn bản: năng lực sử dụng các nền tảng số mới của Bộ, mỗi năng lực được đối chiếu với Thông tư 02/2025/TT-BGDĐT.",
        "description_en": "Draft proposal, not yet issued by any act: competences for the Ministry's new platforms, each mapped to Circular 02/2025/TT-BGDĐT.",
    },
]


def install(apps) -> None:
    """Create the three frameworks, their scales and the crosswalk; running it again changes nothing."""
    Framework = apps.get_model("assessments", "Framework")
    ProficiencyLevel = apps.get_model("assessments", "ProficiencyLevel")
    CompetencyArea = apps.get_model("assessments", "CompetencyArea")
    Competency = apps.get_model("assessments", "Competency")
    CompetencyMapping = apps.get_model("assessments", "CompetencyMapping")
    has_band = any(f.name == "band" for f in ProficiencyLevel._meta.get_fields())

    has_draft = any(f.name == "is_draft" for f in Framework._meta.get_fields())
    frameworks = {}
    for spec in FRAMEWORKS:
        spec = dict(spec)
        draft = spec.pop("is_draft", False)
        if has_draft:  # from migration 0009 on
            spec["is_draft"] = draft
        fw, _ = Framework.objects.get_or_create(code=spec["code"], version=spec["version"], defaults=spec)
        frameworks[spec["code"]] = fw
    for code, levels in (("VN-DCF", VN_LEVELS), ("DIGCOMP", DIGCOMP_LEVELS), ("MOFA-DP", VN_LEVELS)):
        for rank, level_code, name_vi, name_en, tier_vi, tier_en, min_score in levels:
            defaults = {
                "code": level_code,
                "name_vi": name_vi,
                "name_en": name_en,
                "tier_vi": tier_vi,
                "tier_en": tier_en,
                "min_score": min_score,
            }
            if has_band:  # from migration 0004 on (and whenever the service installs them)
                defaults["band"] = TIER_BANDS[tier_en.lower()]
            ProficiencyLevel.objects.get_or_create(framework=frameworks[code], rank=rank, defaults=defaults)

    def add(framework, order, area_code, area_vi, area_en, competencies):
        area, _ = CompetencyArea.objects.get_or_create(
            framework=framework,
            code=area_code,
            defaults={"name_vi": area_vi, "name_en": area_en, "sort_order": order},
        )
        created = {}
        for i, (code, name_vi, name_en, desc_vi, desc_en, *rest) in enumerate(competencies, start=1):
            comp, _ = Competency.objects.get_or_create(
                framework=framework,
                code=code,
                defaults={
                    "area": area,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "description_vi": desc_vi,
                    "description_en": desc_en,
                    "sort_order": order * 10 + i,
                },
            )
            created[code] = (comp, rest[0] if rest else [])
        return created

    vn = {}
    for order, (area_code, area_vi, area_en, comps) in enumerate(VN_AREAS, start=1):
        vn.update({code: comp for code, (comp, _) in add(frameworks["VN-DCF"], order, area_code, area_vi, area_en, comps).items()})

    for order, (area_code, area_vi, area_en, comps) in enumerate(VN_AREAS[:5], start=1):
        dig_vi, dig_en = DIGCOMP_AREA_NAMES[area_code]
        rows = []
        for code, name_vi, name_en, desc_vi, desc_en in comps:
            name_vi, name_en = DIGCOMP_TITLES.get(code, (name_vi, name_en))
            rows.append((code, name_vi, name_en, desc_vi, desc_en))
        for code, (comp, _) in add(frameworks["DIGCOMP"], order, area_code, dig_vi, dig_en, rows).items():
            CompetencyMapping.objects.get_or_create(source=comp, target=vn[code], defaults={"relation": "equivalent"})

    for order, (area_code, area_vi, area_en, comps) in enumerate(MOFA_AREAS, start=1):
        for _code, (comp, targets) in add(frameworks["MOFA-DP"], order, area_code, area_vi, area_en, comps).items():
            for target_code, relation in targets:
                CompetencyMapping.objects.get_or_create(
                    source=comp, target=vn[target_code], defaults={"relation": relation}
                )
