"""Words the demo data is made of: countries (names, cities, pay, schools, employers)
and job families (titles, skills with how common they are, sentence templates).

Skill frequencies are chosen so that search has common terms (``python`` in roughly
two thirds of profiles, ``sql``, ``docker``) and rare ones (``cobol``, ``erlang``).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.profiles import SalaryPeriod, WorkSampleKind


def words(text: str) -> tuple[str, ...]:
    """``"Berlin|Munich|Hamburg"`` → a tuple; ``|`` separates items."""
    return tuple(item.strip() for item in text.split("|") if item.strip())


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    currency: str
    period: SalaryPeriod
    salary: tuple[int, int]  # junior figure, added per year of experience (in ``period``)
    hourly: tuple[int, int]  # contractors' hourly range, in ``hourly_currency``
    hourly_currency: str
    schools: tuple[str, ...]
    employers: tuple[str, ...]
    also_authorized: tuple[str, ...]


@dataclass(frozen=True)
class Family:
    weight: int
    titles: tuple[str, ...]
    core: tuple[tuple[str, float], ...]  # (skill, probability)
    extra: tuple[str, ...]
    focus: tuple[str, ...]  # "{skill}", "{skill2}"
    duties: tuple[str, ...]  # "{skill}", "{industry}"
    goals: tuple[str, ...]
    fields: tuple[str, ...]
    sample_kinds: tuple[WorkSampleKind, ...]


EU = ("DE", "FR", "NL", "ES", "PL", "SE")
Y, M = SalaryPeriod.YEAR, SalaryPeriod.MONTH

COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE", 16, words("Lena|Jonas|Lukas|Anna|Felix|Marie|Paul|Sophie|Maximilian|Laura|Leon|Hannah|Tobias|Julia|Jan|Katharina|Moritz|Mia"),
        words("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter|Wolf|Schröder|Neumann|Zimmermann"),
        words("Berlin|Munich|Hamburg|Cologne|Frankfurt|Stuttgart|Leipzig|Düsseldorf"), "EUR", Y, (48_000, 4_500),
        (65, 110), "EUR", words("Technical University of Munich|Humboldt University of Berlin|RWTH Aachen University|Karlsruhe Institute of Technology|University of Hamburg"),
        words("Zalando|SAP|Delivery Hero|N26|Siemens|Celonis|HelloFresh|Personio|Trade Republic|Bosch"), EU,
    ),
    Country(
        "US", 16, words("James|Emily|Michael|Olivia|David|Ava|Daniel|Madison|Ryan|Chloe|Tyler|Grace|Brandon|Natalie|Kevin|Megan|Jordan|Ashley"),
        words("Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Anderson|Taylor|Thomas|Moore|Jackson|Lee"),
        words("New York|San Francisco|Austin|Seattle|Chicago|Boston|Denver|Atlanta"), "USD", Y, (85_000, 8_000),
        (80, 160), "USD", words("University of Michigan|Georgia Institute of Technology|University of Texas at Austin|Carnegie Mellon University|Ohio State University"),
        words("Stripe|Shopify|Datadog|Airbnb|Salesforce|Capital One|Intuit|Twilio|Cloudflare|HubSpot"), ("CA",),
    ),
    Country(
        "GB", 10, words("Oliver|Amelia|Harry|Isla|George|Poppy|Jack|Freya|Charlie|Evie|Thomas|Alice|William|Ruby|Alfie|Florence"),
        words("Smith|Jones|Taylor|Brown|Wilson|Evans|Thomas|Roberts|Walker|Wright|Thompson|Hughes|Edwards|Green|Hall|Clarke"),
        words("London|Manchester|Edinburgh|Bristol|Leeds|Cambridge|Birmingham|Glasgow"), "GBP", Y, (38_000, 4_000),
        (55, 100), "GBP", words("University of Manchester|University of Edinburgh|Imperial College London|University of Bristol|University of Leeds"),
        words("Monzo|Revolut|Deliveroo|Wise|Ocado Technology|Sky|BBC|Deliveroo|Arm|Darktrace"), ("IE",),
    ),
    Country(
        "FR", 8, words("Camille|Louis|Léa|Hugo|Chloé|Lucas|Manon|Arthur|Inès|Jules|Sarah|Théo|Emma|Nathan|Zoé|Antoine"),
        words("Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefebvre|Michel|Garcia|Fournier"),
        words("Paris|Lyon|Toulouse|Nantes|Bordeaux|Lille|Marseille|Grenoble"), "EUR", Y, (40_000, 3_500),
        (55, 95), "EUR", words("École Polytechnique|Sorbonne University|INSA Lyon|Université Grenoble Alpes|EPITA"),
        words("Doctolib|BlaBlaCar|Criteo|Back Market|Dassault Systèmes|Qonto|Alan|Capgemini|Ubisoft|Mirakl"), EU,
    ),
    Country(
        "NL", 6, words("Daan|Sem|Emma|Julia|Lars|Tess|Bram|Fleur|Thijs|Sanne|Ruben|Lotte|Jesse|Anouk|Stijn|Eva"),
        words("de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks"),
        words("Amsterdam|Rotterdam|Utrecht|Eindhoven|The Hague|Groningen"), "EUR", Y, (45_000, 4_000),
        (60, 105), "EUR", words("Delft University of Technology|University of Amsterdam|Eindhoven University of Technology|Utrecht University"),
        words("Adyen|Booking.com|ASML|Mollie|Picnic|bunq|ING|Elastic|Philips|MessageBird"), EU,
    ),
    Country(
        "ES", 6, words("Lucía|Hugo|Martina|Pablo|Sofía|Álvaro|Paula|Diego|Carmen|Javier|Elena|Mario|Laura|Adrián|Marta|Sergio"),
        words("García|Fernández|González|Rodríguez|López|Martínez|Sánchez|Pérez|Gómez|Martín|Jiménez|Ruiz|Hernández|Díaz|Moreno|Álvarez"),
        words("Madrid|Barcelona|Valencia|Seville|Málaga|Bilbao"), "EUR", Y, (30_000, 2_800),
        (40, 80), "EUR", words("Universidad Politécnica de Madrid|Universitat Politècnica de Catalunya|Universidad de Granada|Universitat de Barcelona"),
        words("Glovo|Cabify|Wallapop|Typeform|Factorial|Idealista|Telefónica|Amadeus|Travelperk|Jobandtalent"), EU,
    ),
    Country(
        "PL", 7, words("Jakub|Zuzanna|Kacper|Julia|Szymon|Maja|Filip|Zofia|Mateusz|Hanna|Michał|Aleksandra|Łukasz|Natalia|Piotr|Magdalena"),
        words("Nowak|Kowalski|Wiśniewski|Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|Dąbrowski|Kozłowski|Mazur|Krawczyk"),
        words("Warsaw|Kraków|Wrocław|Gdańsk|Poznań|Łódź"), "PLN", M, (8_000, 1_100),
        (35, 75), "EUR", words("Warsaw University of Technology|AGH University of Kraków|Wrocław University of Science and Technology|Jagiellonian University"),
        words("Allegro|CD Projekt|DocPlanner|Brainly|Booksy|LiveChat|Revolut|Comarch|Asseco|Synerise"), EU,
    ),
    Country(
        "IN", 12, words("Aarav|Priya|Rohan|Ananya|Arjun|Diya|Vikram|Sneha|Rahul|Kavya|Aditya|Isha|Karthik|Meera|Siddharth|Pooja|Nikhil|Neha"),
        words("Sharma|Patel|Reddy|Iyer|Nair|Gupta|Singh|Kumar|Rao|Mehta|Joshi|Menon|Agarwal|Das|Chopra|Pillai"),
        words("Bengaluru|Hyderabad|Pune|Chennai|Mumbai|Gurugram|Noida|Kochi"), "INR", Y, (700_000, 260_000),
        (25, 60), "USD", words("IIT Bombay|IIT Madras|BITS Pilani|NIT Trichy|IIIT Hyderabad|Anna University"),
        words("Flipkart|Infosys|Razorpay|Swiggy|Zomato|Freshworks|TCS|Zerodha|PhonePe|Wipro"), (),
    ),
    Country(
        "BR", 7, words("Miguel|Helena|Arthur|Alice|Gabriel|Laura|Heitor|Manuela|Davi|Valentina|Lucas|Sophia|Rafael|Beatriz|Pedro|Júlia"),
        words("Silva|Santos|Oliveira|Souza|Rodrigues|Ferreira|Alves|Pereira|Lima|Gomes|Costa|Ribeiro|Martins|Carvalho|Almeida|Araújo"),
        words("São Paulo|Rio de Janeiro|Belo Horizonte|Curitiba|Porto Alegre|Recife|Florianópolis"), "BRL", M, (6_000, 1_300),
        (30, 70), "USD", words("Universidade de São Paulo|UNICAMP|Universidade Federal de Minas Gerais|PUC-Rio|Universidade Federal do Rio Grande do Sul"),
        words("Nubank|iFood|Mercado Livre|Stone|PicPay|QuintoAndar|VTEX|Loft|Creditas|Totvs"), ("PT",),
    ),
    Country(
        "CA", 6, words("Liam|Charlotte|Noah|Emma|Benjamin|Olivia|Lucas|Amelia|Ethan|Chloé|Nathan|Avery|Owen|Maya|Samuel|Léa"),
        words("Tremblay|Gagnon|Roy|Côté|Smith|Brown|Wilson|MacDonald|Campbell|Anderson|Martin|Taylor|Leblanc|Bouchard|Morrison|Lee"),
        words("Toronto|Vancouver|Montréal|Ottawa|Calgary|Waterloo"), "CAD", Y, (70_000, 6_000),
        (70, 140), "CAD", words("University of Waterloo|University of Toronto|McGill University|University of British Columbia"),
        words("Shopify|Wealthsimple|Lightspeed|Cohere|RBC|Clio|Hootsuite|Ecobee|Top Hat|Ada"), ("US",),
    ),
    Country(
        "SE", 5, words("William|Alice|Liam|Maja|Elias|Ella|Hugo|Wilma|Oscar|Astrid|Lucas|Saga|Axel|Freja|Nils|Ebba"),
        words("Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson|Pettersson|Jonsson|Lindberg|Lindqvist"),
        words("Stockholm|Gothenburg|Malmö|Uppsala|Linköping"), "SEK", M, (42_000, 2_600),
        (700, 1_300), "SEK", words("KTH Royal Institute of Technology|Chalmers University of Technology|Lund University|Uppsala University"),
        words("Spotify|Klarna|King|Ericsson|Volvo Cars|Epidemic Sound|Northvolt|Tink|Mojang|Truecaller"), EU,
    ),
    Country(
        "IE", 3, words("Seán|Aoife|Conor|Niamh|Cian|Ciara|Darragh|Saoirse|Oisín|Róisín|Liam|Emma"),
        words("Murphy|Kelly|O'Sullivan|Walsh|Smith|O'Brien|Byrne|Ryan|O'Connor|O'Neill|Doyle|McCarthy"),
        words("Dublin|Cork|Galway|Limerick"), "EUR", Y, (42_000, 4_000),
        (60, 100), "EUR", words("Trinity College Dublin|University College Dublin|University College Cork"),
        words("Intercom|Workhuman|Fenergo|Flipdish|Wayflyer|Tines|Stripe|Accenture"), EU + ("GB",),
    ),
    Country(
        "PT", 3, words("João|Maria|Rodrigo|Beatriz|Tiago|Inês|Francisco|Mariana|Diogo|Carolina|Miguel|Leonor"),
        words("Silva|Santos|Ferreira|Pereira|Oliveira|Costa|Rodrigues|Martins|Sousa|Fernandes|Gonçalves|Lopes"),
        words("Lisbon|Porto|Braga|Coimbra"), "EUR", Y, (22_000, 2_500),
        (30, 65), "EUR", words("Instituto Superior Técnico|University of Porto|University of Coimbra"),
        words("Feedzai|Talkdesk|OutSystems|Farfetch|Sword Health|Unbabel|Critical Software"), EU,
    ),
)
COUNTRY_WEIGHTS = tuple(country.weight for country in COUNTRIES)

CODE, DESIGN, WRITING, VIDEO, OTHER = (
    WorkSampleKind.CODE, WorkSampleKind.DESIGN, WorkSampleKind.WRITING, WorkSampleKind.VIDEO, WorkSampleKind.OTHER,
)
ENGINEERING_FIELDS = words("Computer Science|Software Engineering|Mathematics|Physics|Electrical Engineering|Information Systems")

FAMILIES: tuple[Family, ...] = (
    Family(
        22, words("Backend Engineer|Software Engineer|Python Developer|API Engineer|Platform Engineer"),
        (("Python", 0.85), ("SQL", 0.6), ("PostgreSQL", 0.55), ("Docker", 0.55), ("Django", 0.35), ("FastAPI", 0.3),
         ("Go", 0.25), ("Java", 0.2), ("REST APIs", 0.4), ("Redis", 0.3), ("AWS", 0.4), ("Kubernetes", 0.25), ("GraphQL", 0.2)),
        words("Kafka|RabbitMQ|Celery|Flask|Node.js|TypeScript|gRPC|Microservices|Linux|Git|CI/CD|Terraform|MySQL|MongoDB|Elasticsearch|Rust|Kotlin|Spring Boot|Distributed Systems|Testing"),
        ("I design {skill} services that stay fast under load and are pleasant to change.",
         "Most of my work is in {skill}, with a soft spot for {skill2} and clean API design.",
         "I like owning a service end to end: {skill} code, {skill2}, deployment and on-call."),
        ("Built and operated {skill} services for the {industry} product, from design review to on-call.",
         "Led the migration of a monolith to {skill}-based services used across {industry} teams.",
         "Designed public REST and GraphQL APIs and the {skill} data layer behind them."),
        ("I want to grow into a staff engineer role focused on distributed systems.",
         "Looking for a team that values code review, testing and sustainable pace."),
        ENGINEERING_FIELDS, (CODE, CODE, WRITING, OTHER),
    ),
    Family(
        14, words("Frontend Engineer|Frontend Developer|UI Engineer|Full-Stack Developer|Web Developer"),
        (("JavaScript", 0.9), ("TypeScript", 0.75), ("React", 0.7), ("CSS", 0.6), ("HTML", 0.55), ("Python", 0.45),
         ("Next.js", 0.3), ("Vue.js", 0.2), ("GraphQL", 0.3), ("Accessibility", 0.25), ("Node.js", 0.35)),
        words("Angular|Svelte|Redux|Webpack|Vite|Jest|Cypress|Playwright|Figma|Tailwind CSS|Storybook|Design Systems|Web Performance|SASS|REST APIs|Git|Docker"),
        ("I build accessible interfaces in {skill} and care about every millisecond of load time.",
         "My toolbox is {skill} and {skill2}; my measure of success is what users can do faster.",
         "I bridge design and engineering, turning Figma files into robust {skill} components."),
        ("Rebuilt the customer dashboard in {skill}, with a shared component library for {industry}.",
         "Owned the web checkout flow and its {skill} test suite.",
         "Introduced {skill} and a design system used by five product teams."),
        ("I want to lead a design system and mentor frontend engineers.",
         "Looking for a product company where frontend has a real seat at the table."),
        ENGINEERING_FIELDS + ("Interaction Design",), (CODE, CODE, DESIGN, WRITING),
    ),
    Family(
        11, words("Data Engineer|Analytics Engineer|Data Platform Engineer|Big Data Engineer"),
        (("Python", 0.95), ("SQL", 0.95), ("Apache Spark", 0.55), ("Airflow", 0.5), ("dbt", 0.45), ("Kafka", 0.35),
         ("Snowflake", 0.3), ("BigQuery", 0.3), ("AWS", 0.45), ("Data Modeling", 0.4), ("PostgreSQL", 0.35)),
        words("Databricks|Scala|Docker|Kubernetes|Terraform|ETL|Data Warehousing|Looker|Tableau|Pandas|Delta Lake|Flink|Redshift|Data Quality|Git"),
        ("I build reliable data pipelines in {skill} and {skill2} that analysts actually trust.",
         "I turn messy event streams into clean, documented {skill} models.",
         "My focus is data platform work: {skill}, orchestration, and data quality checks."),
        ("Built batch and streaming pipelines with {skill} feeding the {industry} analytics warehouse.",
         "Modelled the core business metrics in {skill} and cut dashboard query times in half.",
         "Ran the data platform on {skill}, including cost monitoring and access control."),
        ("I want to design a modern data platform from scratch.",
         "Looking to work closer to machine learning teams on feature pipelines."),
        ENGINEERING_FIELDS + ("Statistics", "Economics"), (CODE, WRITING, OTHER),
    ),
    Family(
        9, words("Data Scientist|Machine Learning Engineer|ML Engineer|Applied Scientist|AI Engineer"),
        (("Python", 0.98), ("Machine Learning", 0.9), ("Pandas", 0.6), ("scikit-learn", 0.55), ("PyTorch", 0.5),
         ("SQL", 0.65), ("Statistics", 0.5), ("Deep Learning", 0.4), ("NLP", 0.25), ("TensorFlow", 0.25), ("LLMs", 0.25)),
        words("Computer Vision|MLOps|NumPy|Jupyter|Docker|Kubernetes|Spark|A/B Testing|R|Time Series|Recommender Systems|Hugging Face|XGBoost|Feature Engineering|AWS SageMaker|Data Visualization"),
        ("I build {skill} models that ship to production, not just notebooks.",
         "My background is {skill} and {skill2}; I enjoy the path from question to deployed model.",
         "I work on applied {skill}: ranking, forecasting and experimentation."),
        ("Trained and deployed {skill} models for pricing and churn in {industry}.",
         "Built the experimentation platform and its {skill} analysis library.",
         "Shipped a retrieval-augmented assistant with {skill} and careful evaluation."),
        ("I want to work on ML systems with real users and honest evaluation.",
         "Looking for a team doing applied NLP or recommender systems at scale."),
        ENGINEERING_FIELDS + ("Statistics", "Data Science", "Computational Linguistics"), (CODE, WRITING, VIDEO),
    ),
    Family(
        9, words("DevOps Engineer|Site Reliability Engineer|Cloud Engineer|Infrastructure Engineer|Platform Engineer"),
        (("Kubernetes", 0.85), ("Terraform", 0.75), ("AWS", 0.7), ("Linux", 0.7), ("Docker", 0.8), ("Python", 0.8),
         ("Go", 0.35), ("Prometheus", 0.45), ("CI/CD", 0.6), ("Ansible", 0.3), ("GCP", 0.25), ("Azure", 0.25)),
        words("Grafana|Helm|ArgoCD|Bash|Networking|PostgreSQL|Observability|Incident Management|Security|Nginx|GitHub Actions|Jenkins|Vault|Cost Optimization|Service Mesh"),
        ("I keep production boring: {skill}, {skill2}, good alerts and calm incident reviews.",
         "I automate everything I touch with {skill} and write runbooks people actually read.",
         "I build internal platforms on {skill} that let product teams deploy on their own."),
        ("Moved all services to {skill} with zero-downtime deploys for the {industry} platform.",
         "Cut cloud spend while keeping SLOs, using {skill} and better capacity planning.",
         "Built the observability stack around {skill} and introduced error budgets."),
        ("I want to build an internal developer platform that teams love.",
         "Looking for an SRE role with real ownership of reliability and cost."),
        ENGINEERING_FIELDS, (CODE, WRITING, OTHER),
    ),
    Family(
        6, words("iOS Developer|Android Developer|Mobile Engineer|Mobile Developer"),
        (("Swift", 0.5), ("Kotlin", 0.5), ("React Native", 0.3), ("Flutter", 0.2), ("Python", 0.35),
         ("Mobile Development", 0.6), ("REST APIs", 0.4), ("Git", 0.5)),
        words("SwiftUI|Jetpack Compose|Objective-C|Java|Dart|Firebase|GraphQL|CI/CD|Accessibility|App Store Optimization|Unit Testing|TypeScript|Combine|Coroutines"),
        ("I build native apps in {skill} that feel fast on a five-year-old phone.",
         "Mobile is my home: {skill}, {skill2}, offline-first sync and thoughtful animations."),
        ("Shipped the {skill} app for {industry} customers, rated 4.8 in the store.",
         "Rewrote the onboarding flow in {skill} and doubled activation."),
        ("I want to lead a mobile team shipping weekly.",
         "Looking for a product with a serious mobile-first audience."),
        ENGINEERING_FIELDS, (CODE, DESIGN, VIDEO),
    ),
    Family(
        7, words("Product Designer|UX Designer|UI Designer|UX Researcher|Interaction Designer"),
        (("Figma", 0.9), ("User Research", 0.65), ("Prototyping", 0.6), ("Design Systems", 0.45), ("Interaction Design", 0.4),
         ("Usability Testing", 0.45), ("Python", 0.15), ("HTML", 0.25), ("Accessibility", 0.3)),
        words("Sketch|Adobe XD|Illustrator|Information Architecture|Service Design|Visual Design|Motion Design|Workshop Facilitation|CSS|Typography|Journey Mapping|Copywriting"),
        ("I design products from research to pixels, with {skill} and a lot of user conversations.",
         "My craft is {skill} and {skill2}; my habit is testing early with real people."),
        ("Led the redesign of the {industry} onboarding, grounded in {skill}.",
         "Built and documented the design system in {skill}, adopted by every squad."),
        ("I want to lead design for a product with real social impact.",
         "Looking for a team where research shapes the roadmap."),
        words("Interaction Design|Graphic Design|Human-Computer Interaction|Psychology|Architecture"), (DESIGN, DESIGN, WRITING, VIDEO),
    ),
    Family(
        7, words("Product Manager|Technical Product Manager|Product Owner|Group Product Manager"),
        (("Product Management", 0.9), ("Roadmapping", 0.6), ("User Research", 0.45), ("SQL", 0.45), ("Python", 0.4),
         ("Agile", 0.55), ("Stakeholder Management", 0.5), ("A/B Testing", 0.35), ("Analytics", 0.4)),
        words("Jira|Product Strategy|OKRs|Go-to-Market|Pricing|Data Analysis|Scrum|Discovery|B2B SaaS|Figma|Amplitude|Market Research"),
        ("I turn fuzzy problems into shipped outcomes, using {skill} and plenty of data.",
         "I work at the seam of engineering and business: {skill}, {skill2} and honest prioritisation."),
        ("Owned the {industry} growth roadmap and its {skill} experiments.",
         "Launched a self-serve product tier, from discovery to pricing, with {skill}."),
        ("I want to own a product line end to end.",
         "Looking for a mission-driven company with an empowered product culture."),
        words("Business Administration|Economics|Computer Science|Industrial Engineering|Psychology"), (WRITING, OTHER, VIDEO),
    ),
    Family(
        5, words("QA Engineer|Test Automation Engineer|SDET|Quality Engineer"),
        (("Test Automation", 0.85), ("Python", 0.75), ("Selenium", 0.5), ("Playwright", 0.35), ("Cypress", 0.3),
         ("API Testing", 0.5), ("CI/CD", 0.5), ("SQL", 0.4), ("Java", 0.3)),
        words("Pytest|JUnit|Postman|Performance Testing|JMeter|Docker|Jenkins|Test Strategy|Exploratory Testing|TypeScript|Git|Mobile Testing"),
        ("I help teams ship with confidence: {skill}, {skill2} and fast feedback in CI.",
         "I build test frameworks in {skill} that developers actually enjoy using."),
        ("Built the end-to-end {skill} suite that gates every {industry} release.",
         "Cut flaky tests to almost zero and halved CI time with {skill}."),
        ("I want to grow into a quality lead shaping engineering practices.",),
        ENGINEERING_FIELDS, (CODE, WRITING),
    ),
    Family(
        4, words("Security Engineer|Application Security Engineer|Cloud Security Engineer|Penetration Tester"),
        (("Security", 0.95), ("Python", 0.8), ("Penetration Testing", 0.4), ("Threat Modeling", 0.45), ("AWS", 0.4),
         ("Linux", 0.6), ("Networking", 0.45), ("OWASP", 0.4)),
        words("Cryptography|Incident Response|SIEM|Burp Suite|Kubernetes|Terraform|Go|Vulnerability Management|Identity and Access Management|Zero Trust|Reverse Engineering|Compliance"),
        ("I make systems harder to break: {skill}, {skill2} and secure defaults.",
         "I work with engineers, not against them, to bake {skill} into the delivery pipeline."),
        ("Ran the application security programme for {industry}, including {skill} reviews.",
         "Built automated {skill} checks into CI and led incident response."),
        ("I want to build a security team from the ground up.",),
        ENGINEERING_FIELDS + ("Cybersecurity",), (CODE, WRITING, VIDEO),
    ),
    Family(
        3, words("Embedded Software Engineer|Firmware Engineer|Robotics Engineer"),
        (("C", 0.85), ("C++", 0.75), ("Embedded Systems", 0.85), ("Python", 0.6), ("RTOS", 0.4), ("Linux", 0.5), ("Rust", 0.25)),
        words("ARM|Yocto|CAN Bus|Microcontrollers|ROS|Signal Processing|FPGA|Device Drivers|Bluetooth Low Energy|Computer Vision|MATLAB|Safety Standards"),
        ("I write firmware in {skill} where memory is counted in kilobytes.",
         "I enjoy the hardware-software boundary: {skill}, {skill2} and oscilloscopes."),
        ("Developed {skill} firmware for connected devices in {industry}.",
         "Brought up a new board and its {skill} drivers from first silicon to production."),
        ("I want to work on robotics or energy hardware.",),
        words("Electrical Engineering|Mechatronics|Computer Engineering|Physics"), (CODE, VIDEO, OTHER),
    ),
)
FAMILY_WEIGHTS = tuple(family.weight for family in FAMILIES)

RARE_SKILLS = words("COBOL|Erlang|Elixir|Haskell|Fortran|OCaml|Clojure|WebAssembly|Quantum Computing|Prolog|Solidity|Zig|Lisp|Ada|Mainframe")

SENIORITY = ("Junior", "", "Senior", "Senior", "Lead", "Principal")

INDUSTRIES = words(
    "fintech|e-commerce|healthcare|logistics|travel|climate tech|gaming|edtech|media|insurance|"
    "mobility|energy|public sector|retail|food delivery|cybersecurity|HR tech|real estate|biotech|telecoms"
)

SUMMARY_OPENERS = (
    "{title} with {years} of experience, most recently in {industry}.",
    "I have spent {years} as a {title}, largely in {industry}.",
    "Hands-on {title} ({years}), happiest in small teams that ship often.",
    "{years} into my career as a {title}; {industry} is the domain I know best.",
)
ACHIEVEMENTS = (
    "Reduced page load and API latency by {pct}% after profiling the hot paths in {skill}.",
    "Cut infrastructure costs by {pct}% without losing reliability.",
    "Improved conversion by {pct}% through a series of small, measured experiments.",
    "Mentored four engineers and introduced code review guidelines around {skill}.",
    "Reduced incident count by {pct}% with better alerting and {skill} runbooks.",
    "Automated a manual process with {skill}, saving the team a day per week.",
)
SUMMARY_CLOSERS = (
    "Open to {remote} roles where the work matters.",
    "I am looking for my next challenge in {industry} or anything adjacent.",
    "Ideally {remote}, in a team that writes things down.",
    "Happy to talk about {remote} positions with a clear salary range up front.",
)
GOALS = (
    "A four-day week would be a strong plus.",
    "I would like a clear path to technical leadership.",
    "Learning budget and conference time matter to me.",
    "I want to relocate within the next year and welcome visa sponsorship.",
    "A company with transparent salaries is my preference.",
)
DEGREES = (("BSc", 3), ("MSc", 2), ("BEng", 4), ("MEng", 2), ("PhD", 4), ("BA", 3), ("Bootcamp certificate", 1))
RELATIONSHIPS = ("Former manager at {company}", "Team lead at {company}", "Colleague at {company}",
                 "Product manager I worked with at {company}", "Client at {company}")

COMPANY_PREFIXES = words(
    "Northwind|Blue Harbor|Brightline|Cedar|Copperleaf|Driftwood|Evergreen|Fernhill|Foxglove|Granite|"
    "Harborview|Ironbark|Juniper|Keystone|Lakeside|Lumen|Maple|Meridian|Moonrise|Nimbus|Oakridge|Orchid|"
    "Pinecrest|Quartz|Redwood|Riverbend|Saffron|Silverline|Skyward|Solstice|Starling|Stonebridge|Summit|"
    "Tidewater|Trailhead|Umber|Vantage|Verdant|Westbrook|Willow|Wren|Zephyr|Aurora|Beacon|Cobalt|Halcyon"
)
COMPANY_SUFFIXES = words(
    "Analytics|Labs|Systems|Software|Health|Logistics|Robotics|Energy|Payments|Insights|Media|Mobility|"
    "Networks|Studios|Cloud|Data|Security|Foods|Travel|Learning|Capital|Bio|Games|Works|Technologies"
)
