"""Demo content for seed_demo: the region's state bodies, positions, names, programmes."""

# (code, name_kk, name_ru, name_en, position category prefix)
AGENCIES = [
    (
        "akimat-zko",
        "Батыс Қазақстан облысының әкімдігі",
        "Акимат Западно-Казахстанской области",
        "Akimat of West Kazakhstan Region",
        "C-O",
    ),
    (
        "akimat-oral",
        "Орал қаласының әкімдігі",
        "Акимат города Уральск",
        "Akimat of Oral city",
        "E-G",
    ),
    (
        "edu-zko",
        "Батыс Қазақстан облысының білім басқармасы",
        "Управление образования Западно-Казахстанской области",
        "Education Department of West Kazakhstan Region",
        "C-O",
    ),
    (
        "health-zko",
        "Батыс Қазақстан облысының денсаулық сақтау басқармасы",
        "Управление здравоохранения Западно-Казахстанской области",
        "Health Department of West Kazakhstan Region",
        "C-O",
    ),
    (
        "akimat-akzhaik",
        "Ақжайық ауданының әкімдігі",
        "Акимат Акжаикского района",
        "Akimat of Akzhaik district",
        "E-R",
    ),
    (
        "akimat-baiterek",
        "Бәйтерек ауданының әкімдігі",
        "Акимат Байтерекского района",
        "Akimat of Baiterek district",
        "E-R",
    ),
    (
        "akimat-burli",
        "Бөрлі ауданының әкімдігі",
        "Акимат Бурлинского района",
        "Akimat of Burli district",
        "E-R",
    ),
    (
        "akimat-terekti",
        "Теректі ауданының әкімдігі",
        "Акимат Теректинского района",
        "Akimat of Terekti district",
        "E-R",
    ),
    (
        "dgd-zko",
        "Батыс Қазақстан облысы бойынша Мемлекеттік кірістер департаменті",
        "Департамент государственных доходов по Западно-Казахстанской области",
        "State Revenue Department for West Kazakhstan Region",
        "D-O",
    ),
    (
        "ads-zko",
        "Мемлекеттік қызмет істері агенттігінің Батыс Қазақстан облысы бойынша департаменті",
        "Департамент Агентства по делам государственной службы по Западно-Казахстанской области",
        "Department of the Civil Service Agency for West Kazakhstan Region",
        "D-O",
    ),
]

# (level within the prefix, title_kk, title_ru, title_en)
POSITIONS = [
    (1, "Басшы", "Руководитель", "Head"),
    (2, "Басшының орынбасары", "Заместитель руководителя", "Deputy head"),
    (3, "Бөлім басшысы", "Руководитель отдела", "Head of unit"),
    (4, "Бас маман", "Главный специалист", "Chief specialist"),
    (5, "Жетекші маман", "Ведущий специалист", "Leading specialist"),
]

MALE_FIRST = [
    "Ерлан",
    "Нұрлан",
    "Бауыржан",
    "Асқар",
    "Дәурен",
    "Ержан",
    "Қайрат",
    "Серік",
    "Талғат",
    "Арман",
    "Ерболат",
    "Мұрат",
    "Самат",
    "Әділет",
    "Ғалым",
    "Нұрсұлтан",
]
FEMALE_FIRST = [
    "Айгүл",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Әсем",
    "Мәдина",
    "Салтанат",
    "Айжан",
    "Ақмарал",
    "Назерке",
    "Гүлмира",
    "Ләззат",
    "Жұлдыз",
    "Сәуле",
    "Әйгерім",
    "Дана",
]
# Male surnames; the female form adds "а" (Ахметов → Ахметова); -ұлы names stay as they are.
SURNAMES = [
    "Ахметов",
    "Бекмұханов",
    "Жұмабаев",
    "Қасымов",
    "Оспанов",
    "Тәжібаев",
    "Сұлтанов",
    "Мұхамбетов",
    "Ермеков",
    "Ғабдуллин",
    "Байжанов",
    "Есенов",
    "Төлегенов",
    "Әбілов",
    "Нұрғалиев",
    "Сағынтаев",
    "Құдайбергенов",
    "Исатаев",
    "Махамбетов",
    "Дүйсенов",
    "Қуанышев",
    "Серікбаев",
    "Шәкенов",
    "Жақсылықов",
    "Өтепов",
    "Иманғалиев",
]
FATHERS = [
    "Серік",
    "Болат",
    "Қайрат",
    "Ермек",
    "Марат",
    "Жеңіс",
    "Бақыт",
    "Нұрлан",
    "Талғат",
    "Амангелді",
    "Ғабит",
    "Мұхтар",
]

# (code stem, title_kk, title_ru, title_en, topic summary en)
TOPICS = [
    (
        "ANTICOR",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл",
        "Противодействие коррупции",
        "Anti-corruption",
    ),
    (
        "ETHICS",
        "Мемлекеттік қызметшілердің әдеп нормалары",
        "Этические нормы государственных служащих",
        "Ethics of civil servants",
    ),
    (
        "PUBSERV",
        "Мемлекеттік қызмет көрсету сапасы",
        "Качество оказания государственных услуг",
        "Quality of public services",
    ),
    (
        "APPEALS",
        "Жеке және заңды тұлғалардың өтініштерімен жұмыс",
        "Работа с обращениями физических и юридических лиц",
        "Handling appeals of individuals and legal entities",
    ),
    (
        "DIGITAL",
        "Цифрлық сауаттылық және электрондық үкімет",
        "Цифровая грамотность и электронное правительство",
        "Digital literacy and e-government",
    ),
    (
        "DATA",
        "Мемлекеттік басқарудағы деректерді талдау",
        "Анализ данных в государственном управлении",
        "Data analysis in public administration",
    ),
    (
        "STATELANG",
        "Іс жүргізудегі мемлекеттік тіл",
        "Государственный язык в делопроизводстве",
        "The state language in official business",
    ),
    (
        "LEAD",
        "Мемлекеттік органдағы көшбасшылық",
        "Лидерство в государственном органе",
        "Leadership in a state body",
    ),
    ("PROJECT", "Жобаларды басқару", "Управление проектами", "Project management"),
    (
        "BUDGET",
        "Бюджеттік жоспарлау және мемлекеттік сатып алу",
        "Бюджетное планирование и государственные закупки",
        "Budget planning and public procurement",
    ),
    (
        "CSLAW",
        "Мемлекеттік қызмет туралы заңнама",
        "Законодательство о государственной службе",
        "Civil service legislation",
    ),
    (
        "APPC",
        "Әкімшілік рәсімдік-процестік кодекс",
        "Административный процедурно-процессуальный кодекс",
        "The Administrative Procedure Code",
    ),
    ("STRATEGY", "Стратегиялық жоспарлау", "Стратегическое планирование", "Strategic planning"),
    ("INFOSEC", "Ақпараттық қауіпсіздік", "Информационная безопасность", "Information security"),
    (
        "MEDIA",
        "Мемлекеттік органның коммуникациясы және БАҚ-пен жұмыс",
        "Коммуникации государственного органа и работа со СМИ",
        "Government communication and media relations",
    ),
    ("HRM", "Персоналды басқару", "Управление персоналом", "Human resource management"),
    (
        "INCLUSIVE",
        "Мүмкіндігі шектеулі адамдарға қызмет көрсету",
        "Обслуживание лиц с инвалидностью",
        "Serving people with disabilities",
    ),
    (
        "CRISIS",
        "Төтенше жағдайлардағы басқару",
        "Управление в чрезвычайных ситуациях",
        "Crisis management",
    ),
]

RETRAINING = [
    (
        "RETRAIN-PA",
        "Мемлекеттік басқару: қайта даярлау бағдарламасы",
        "Государственное управление: программа переподготовки",
        "Public administration: retraining programme",
    ),
    (
        "RETRAIN-NEW",
        "Алғаш тағайындалған мемлекеттік қызметшілерді қайта даярлау",
        "Переподготовка впервые назначенных государственных служащих",
        "Retraining for newly appointed civil servants",
    ),
    (
        "RETRAIN-HEADS",
        "Басшы лауазымдарға алғаш тағайындалғандарды қайта даярлау",
        "Переподготовка впервые назначенных на руководящие должности",
        "Retraining for newly appointed heads",
    ),
    (
        "RETRAIN-LOCAL",
        "Жергілікті атқарушы органдар қызметкерлерін қайта даярлау",
        "Переподготовка работников местных исполнительных органов",
        "Retraining for staff of local executive bodies",
    ),
]

LOCATIONS = [
    (
        "Орал қ., Академия филиалы, 201 аудитория",
        "г. Уральск, филиал Академии, аудитория 201",
        "Oral, Academy branch, room 201",
    ),
    (
        "Орал қ., Академия филиалы, мәжіліс залы",
        "г. Уральск, филиал Академии, конференц-зал",
        "Oral, Academy branch, conference hall",
    ),
    ("Онлайн", "Онлайн", "Online"),
]

NEWS = [
    (
        "Біліктілікті арттыру курстарының 2027 жылғы кестесі жарияланды",
        "Опубликован график курсов повышения квалификации на 2027 год",
        "The 2027 schedule of qualification upgrade courses is published",
        "Академия филиалы келесі жылға арналған 40-тан астам бағдарламаны ұсынады.",
        "Филиал Академии предлагает более 40 программ на следующий год.",
        "The Academy branch offers more than 40 programmes for the coming year.",
    ),
    (
        "Меритократия деңгейі 73,8 %-ға жетті",
        "Уровень меритократии достиг 73,8 %",
        "The meritocracy level reached 73.8 %",
        "2024 жылдың тоғыз айында 84 конкурстың 62-сі "
        "жоғары тұрған лауазымға тағайындаумен аяқталды.",
        "За девять месяцев 2024 года 62 из 84 конкурсов "
        "завершились назначением на вышестоящую должность.",
        "In the first nine months of 2024, 62 of 84 competitions ended with an appointment to a "
        "higher position.",
    ),
    (
        "Мемлекеттік тіл бойынша жаңа семинар",
        "Новый семинар по государственному языку",
        "A new seminar on the state language",
        "Іс жүргізудегі мемлекеттік тіл семинарына тіркеу ашылды.",
        "Открыта запись на семинар «Государственный язык в делопроизводстве».",
        "Enrolment is open for the seminar on the state language in official business.",
    ),
]


# A programme's description says more than its one-line summary (the catalog shows the
# summary; the programme page shows both).
def seminar_description(kk: str, ru: str, en: str) -> dict:
    return {
        "description_kk": (
            f"<p>Семинар тақырыбы: «{kk}». Қатысушылар нормативтік талаптарды, құқық қолдану "
            "тәжірибесін және жиі кездесетін қателерді талқылайды.</p>"
            "<p>Бағдарламада: дәріс, практикалық жағдаяттарды талдау, сұрақтарға жауап. Соңында "
            "қысқа тест өтеді; семинарға толық қатысқандарға сертификат беріледі.</p>"
        ),
        "description_ru": (
            f"<p>Тема семинара: «{ru}». Участники разбирают нормативные требования, "
            "правоприменительную практику и типичные ошибки.</p>"
            "<p>В программе: лекция, разбор практических ситуаций, ответы на вопросы. В конце — "
            "короткий тест; участникам, прошедшим семинар полностью, выдаётся сертификат.</p>"
        ),
        "description_en": (
            f"<p>Topic: {en.lower()}. Participants go through the legal requirements, current "
            "practice and the most common mistakes.</p>"
            "<p>The day has a lecture, practical cases and questions and answers. A short test "
            "closes it; those who attend in full receive a certificate.</p>"
        ),
    }


def course_description(kk: str, ru: str, en: str) -> dict:
    return {
        "description_kk": (
            f"<p>Курс мемлекеттік қызметшілердің «{kk}» саласындағы білімі мен дағдыларын "
            "жаңартады.</p><ul><li>заңнамадағы соңғы өзгерістер;</li>"
            "<li>практикалық тапсырмалар мен кейстер;</li><li>қорытынды аттестаттау.</li></ul>"
            "<p>Курсты сәтті аяқтағандарға біліктілікті арттыру туралы сертификат беріледі.</p>"
        ),
        "description_ru": (
            f"<p>Курс обновляет знания и навыки государственных служащих в области «{ru}».</p>"
            "<ul><li>последние изменения законодательства;</li>"
            "<li>практические задания и кейсы;</li><li>итоговая аттестация.</li></ul>"
            "<p>Успешно завершившим курс выдаётся сертификат о повышении квалификации.</p>"
        ),
        "description_en": (
            f"<p>The course updates civil servants' knowledge and skills in {en.lower()}.</p>"
            "<ul><li>recent changes in legislation;</li>"
            "<li>practical assignments and cases;</li><li>a final assessment.</li></ul>"
            "<p>Those who complete it receive a qualification upgrade certificate.</p>"
        ),
    }


RETRAINING_DESCRIPTION = {
    "description_kk": (
        "<p>Мемлекеттік қызметке алғаш рет тағайындалған қызметшілерге арналған қайта даярлау "
        "бағдарламасы (120 академиялық сағат).</p><p>Мазмұны: мемлекеттік қызмет туралы "
        "заңнама, әдеп және сыбайлас жемқорлыққа қарсы талаптар, мемлекеттік қызметтер "
        "көрсету, іс жүргізу. Оқу аралас форматта өтеді: онлайн дәрістер және филиалдағы "
        "практикалық сабақтар.</p>"
    ),
    "description_ru": (
        "<p>Программа переподготовки для впервые назначенных на государственную службу "
        "(120 академических часов).</p><p>Содержание: законодательство о государственной "
        "службе, этика и антикоррупционные требования, оказание государственных услуг, "
        "делопроизводство. Обучение смешанное: онлайн-лекции и практические занятия в "
        "филиале.</p>"
    ),
    "description_en": (
        "<p>A retraining programme for people appointed to the civil service for the first time "
        "(120 academic hours).</p><p>It covers civil service law, ethics and anti-corruption "
        "rules, public services and records management. Blended: online lectures and practical "
        "classes at the branch.</p>"
    ),
}
