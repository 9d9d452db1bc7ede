"""The text of the hostile sites' articles: pools of paragraphs and one lead per story.

Every article a crawl may store must be its own story (dedupe merges texts whose 5-word
shingles overlap by 0.35 or more), so an article is built from its own lead plus one paragraph
of each of seven themed pools, chosen along a line of the affine plane over GF(7): two articles
share at most one pool paragraph (plus the lead, for the feed and sitemap copies of one case).
"""

from __future__ import annotations

from typing import Final

# Seven themes (columns) of seven paragraphs (rows) each: production, cast, premise, release, context,
# outlook, the first season.
POOL: Final[tuple[tuple[str, ...], ...]] = (
    (
        "Filming moved between a closed girls' high school in Gimpo and a purpose-built set outside Paju, "
        "where the art department rebuilt corners of Hyosan High as they looked after the outbreak: scorched "
        "lockers, barricaded stairwells and a gym floor still marked by the first season's last stand. The "
        "set stayed closed to visitors for most of the shoot.",
        "The production leaned less on digital effects than the first season did. A movement coach ran a "
        "three-week workshop for more than two hundred extras, and the prosthetics team built new "
        "appliances meant to survive rain towers, smoke machines and long night shoots without peeling at "
        "the edges.",
        "Night work dominated the schedule. Crew members who spoke to local reporters described shifts that "
        "began at dusk in the industrial blocks near Incheon's port and ended after sunrise, with a second "
        "unit filming drone plates over the empty streets on the few mornings when the weather held.",
        "Producers set aside an unusually long post-production window. The visual effects vendor that "
        "handled the first season's rooftop sequences is back, and editing began while the cameras were "
        "still rolling, so that reshoots could be scheduled before the leads scattered to other projects.",
        "Permits filed with the Paju city office describe a four-storey exterior facade, a flooded "
        "underpass and a replica subway car mounted on a hydraulic rig, which suggests a larger canvas than "
        "the school-bound story of the original run. A city official confirmed the filings but declined to "
        "describe the scenes.",
        "Safety rules on set were tightened after a heat wave in August. The production added cooling tents "
        "for extras in full prosthetics, limited the number of takes for crowd scenes in the afternoon, and "
        "brought in a second medic for the weeks spent filming on the coastal flats.",
        "The sound team recorded new creature vocals rather than reusing the library from the first season. "
        "According to one crew member, performers were asked to improvise breathing and clicking sounds in "
        "a studio in Sangam-dong, and those sessions were layered into the mix with field recordings from "
        "the night shoots.",
    ),
    (
        "Park Ji-hu returns as Nam On-jo, now older and carrying the weight of the friends she lost, while "
        "Cho Yi-hyun reprises Choi Nam-ra, the class president whose half-infected state left her neither "
        "fully human nor fully one of the dead. Lomon is also back as Lee Su-hyeok.",
        "Yoon Chan-young's return as Lee Cheong-san has been the most debated casting question since the "
        "first season ended. Netflix has not said how the character fits the new story, and the studio's "
        "announcement listed him among the returning cast without describing his part in the plot.",
        "The new faces include Lee Min-jae as Yong Ma-ru and Kim Si-eun as So Ju-ran, two students from a "
        "different school who cross paths with the survivors. Roh Jae-won joins as Han Du-seok, a soldier "
        "assigned to the quarantine zone, and Yoon Ga-i plays Lee Jong-ah.",
        "Casting directors reportedly auditioned several hundred young actors for the new student roles, "
        "looking for performers who could carry long, physical sequences. Several of the newcomers trained "
        "in stunt work for months before the cameras rolled, according to the agency representing two of "
        "them.",
        "Returning viewers will recognise more faces from the Hyosan survivors than many expected. The "
        "studio confirmed that several supporting players from the original class are back, though it has "
        "kept quiet about whether they appear in the present-day story or only in flashbacks.",
        "Roh Jae-won, who drew attention for his work in recent crime dramas, is said to have been the "
        "production's first choice for Han Du-seok. His character is described in the official synopsis as "
        "a soldier who has to decide whom the quarantine line is really protecting.",
        "The young cast reunited for a script reading in Seoul before filming began. Photos released by the "
        "studio showed Park Ji-hu, Cho Yi-hyun and Lomon seated together at the head of a long table, with "
        "the new cast members and the directors filling the rest of the room.",
    ),
    (
        "The new season picks up after On-jo and the other survivors have finished school. Each is trying "
        "to live an ordinary life, but the official account of what happened at Hyosan High has been "
        "rewritten by the authorities, and the survivors are watched more closely than they realise.",
        "The original webtoon by Joo Dong-geun ended well before the events of the second season, so the "
        "writers are building much of the new story themselves. Writer Chun Sung-il has said he wanted the "
        "sequel to ask what a society does with the people who outlived a disaster.",
        "The half-infected, known in the first season as hambies, are expected to sit at the centre of the "
        "new story. Nam-ra's condition raised questions about whether people like her can be cured, "
        "controlled or used, and the sequel appears ready to answer some of them.",
        "A larger setting is promised. Where the first season was confined to one school and the streets "
        "around it, the synopsis released by Netflix talks about a city under quarantine, a military "
        "checkpoint and a university campus where the survivors try to start over.",
        "The studio has kept the plot under tight wraps, handing out scripts on watermarked tablets and "
        "collecting them at the end of each day. Even the extras were told only which scenes they would "
        "appear in on the morning of each shoot.",
        "Fans expect the science teacher's research to matter again. The virus was created in a school "
        "laboratory in the first season, and the notes and recordings he left behind were never fully "
        "explained, which gives the sequel an obvious thread to pull.",
        "The tone is likely to shift as well. The directors have described the new episodes as a story "
        "about grief and survivor's guilt as much as a zombie thriller, with the horror coming from the way "
        "people treat each other once the emergency is declared over.",
    ),
    (
        "Netflix has not announced a premiere date. Industry reporting points to a release no earlier than "
        "2027, given the length of the visual effects schedule, and the streamer has said only that the "
        "series will arrive on the service worldwide on the same day.",
        "The streamer's marketing team opened the campaign with a short teaser of an empty classroom, a "
        "flickering phone screen and a single line of dialogue. The clip gathered several million views in "
        "its first day across Netflix's Korean and global channels.",
        "The first season spent weeks in Netflix's global top ten for non-English series after its January "
        "2022 debut and was one of the most-watched Korean series on the service that year, which is why "
        "the sequel is treated as one of the streamer's key Korean titles.",
        "A fan event in Seoul is planned once the release window is confirmed. Netflix Korea has used "
        "similar events for its biggest series, pairing a stage appearance by the cast with a screening of "
        "the first episode for a small audience chosen by lottery.",
        "The episode count has not been confirmed. The first season ran to twelve episodes, and people "
        "familiar with the production say the second will be shorter, with the budget weighted towards the "
        "large set pieces in the city rather than towards extra hours.",
        "The series is produced by Film Monster and JTBC Studios, the companies behind the first season, "
        "with Netflix financing and distributing it. The same partners have worked with the streamer on "
        "several other Korean originals since 2022.",
        "Netflix tends to announce Korean release dates at its yearly slate presentations, and fans have "
        "been watching the streamer's event calendar closely. Several of the cast members' agencies have "
        "said their schedules are clear for promotion in the first half of 2027.",
    ),
    (
        "Online reaction has been loud. Fan accounts have tracked every sighting of the cast near the set, "
        "and a petition asking the studio to bring back a character from the first season gathered tens of "
        "thousands of signatures within a week.",
        "Critics have been cautiously optimistic. A columnist for a Seoul entertainment weekly wrote that "
        "the first season's strength was its sense of a single, closed space, and warned that a bigger "
        "setting could dilute the claustrophobia that made the original work.",
        "The wait has been long even by streaming standards. Netflix renewed the series in 2022, but "
        "scheduling conflicts among the young cast and the time needed to develop a story beyond the "
        "webtoon pushed the start of filming back by more than two years.",
        "Korean zombie stories have become a dependable export over the past decade. Analysts at a Seoul "
        "brokerage noted that the genre travels well because it needs little cultural explanation, and that "
        "the first season's audience was spread across more than ninety countries.",
        "Local businesses near the filming locations have embraced the attention. A restaurant owner in "
        "Gimpo told a regional newspaper that fans had started visiting on weekends to photograph the "
        "school gates, and that the crew had eaten there almost every night of the autumn shoot.",
        "Not every fan is happy with the direction of the sequel. Some viewers argue that the first "
        "season's ending was complete on its own, and that bringing characters back risks undoing the "
        "sacrifices that gave the finale its weight.",
        "Teachers' groups criticised the first season for its depiction of school violence, and education "
        "commentators have already asked whether the sequel will handle the subject more carefully. The "
        "studio has said the new season spends less time inside a classroom.",
    ),
    (
        "The studio is expected to share more details in the coming weeks, including a first look at the new "
        "characters in costume. Until then, the production has asked fans visiting the filming areas to keep "
        "their distance from the sets and not to post photos of unfinished scenes.",
        "For viewers who want to catch up, the first season remains available on Netflix in every region "
        "where the service operates, with dubbed versions in more than a dozen languages and subtitles in "
        "over thirty.",
        "Merchandise tied to the sequel is already in the works. A licensing agent said a line of jackets, "
        "notebooks and a board game is planned for the launch window, though none of the products has been "
        "shown in public.",
        "The production has also promised more new voices behind the camera this time, with several episodes "
        "shot by second-unit directors who started as assistants on the first season and were promoted "
        "during preparation.",
        "Netflix has not ruled out a third season. Executives have said in general terms that they prefer to "
        "wait for audience numbers before committing, but the scale of the sets suggests the studio expects "
        "the story to continue.",
        "Tourism officials in Gyeonggi Province are already planning a walking route that links the filming "
        "locations, modelled on the maps that brought visitors to the settings of other popular dramas in "
        "recent years.",
        "Readers with questions about the new season can send them to our K-drama desk, which will put the "
        "most common ones to the production when the press tour begins ahead of the launch.",
    ),
    (
        "The first season, released in January 2022, followed a group of students trapped in their high "
        "school after a virus created in the science lab spread through the building. It was adapted from "
        "Joo Dong-geun's webtoon Now at Our School, which ran from 2009 to 2011.",
        "Lee Jae-kyoo, who directed the first season, co-directs again with Kim Nam-su. The pair split the "
        "episodes between them, with one unit concentrating on the action sequences and the other on the "
        "quieter character scenes.",
        "The first season's finale left several threads open: the fate of the students who stayed behind, "
        "the government's handling of the quarantine, and the question of what Nam-ra had become. Fans have "
        "spent the years since debating all three.",
        "Much of the first season's young cast were unknowns when it was filmed. Several have since led "
        "their own series, which made scheduling the sequel harder but also raised its profile with viewers "
        "who discovered them elsewhere.",
        "The series began life as a webtoon that ran for two years on a Korean portal, where its mix of "
        "school drama and survival horror built a loyal readership long before the television adaptation "
        "was announced.",
        "Production on the first season took place in 2020 and early 2021, before the boom in Korean series "
        "on streaming services reached its peak, which is one reason the budget for the sequel is reported "
        "to be considerably larger.",
        "The first season's rooftop scenes, shot on a set built on the lot in Paju, became some of its most "
        "shared clips, and the production has said it wants at least one sequence in the new season to "
        "match them.",
    ),
)
PRIME: Final = 7  # rows per column; lines (a, b) pick row (a*k + b) mod 7 in column k


def pool_paragraphs(line: int) -> list[str]:
    """The seven pool paragraphs of line `line` (0–48); two different lines share at most one."""
    slope, offset = divmod(line % (PRIME * PRIME), PRIME)
    return [POOL[column][(slope * column + offset) % PRIME] for column in range(len(POOL))]


# One lead per story: (headline on the feed route, headline on the sitemap route, lead paragraph).
LEADS: Final[dict[str, tuple[str, str, str]]] = {
    "good-1": (
        "All of Us Are Dead Season 2 wraps its night shoot at Incheon port",
        "All of Us Are Dead Season 2 finishes filming after eight months",
        "The cameras have stopped rolling on All of Us Are Dead Season 2. The final week of the shoot was "
        "spent on the waterfront in Incheon, where the crew staged a crowd sequence with several hundred "
        "extras before the production held a small wrap gathering for cast and staff.",
    ),
    "good-2": (
        "Netflix shares the first poster for All of Us Are Dead Season 2",
        "All of Us Are Dead Season 2 poster shows On-jo alone on a rooftop",
        "Netflix released the first poster for All of Us Are Dead Season 2 on Tuesday. It shows a lone "
        "figure in a school jacket on a rooftop above a city at dusk, with a smear of red across the "
        "skyline and the Korean title written in chalk along the bottom edge.",
    ),
    "good-3": (
        "Why All of Us Are Dead Season 2 took three years to reach the cameras",
        "The long road to All of Us Are Dead Season 2, explained by its producers",
        "At an industry event in Busan, the producers of All of Us Are Dead Season 2 explained why the "
        "sequel took so long to start, pointing to the time needed to build a story that goes beyond the "
        "webtoon and to bring the original cast back together.",
    ),
    "good-4": (
        "All of Us Are Dead Season 2 adds four newcomers to its student cast",
        "Meet the new students of All of Us Are Dead Season 2",
        "Four young actors have joined All of Us Are Dead Season 2 as students from a rival school, the "
        "studio said on Friday. The newcomers spent the summer in action training and will share most of "
        "their scenes with the returning survivors.",
    ),
    "malformed": (
        "All of Us Are Dead Season 2 rebuilds the Hyosan High gym for its return",
        "Inside the rebuilt gymnasium set of All of Us Are Dead Season 2",
        "The most photographed room of the first season is back. For All of Us Are Dead Season 2 the art "
        "department rebuilt the Hyosan High gymnasium from the original plans and then aged it by several "
        "years, adding water stains, collapsed bleachers and a memorial wall of student photos.",
    ),
    "mixed-bytes": (
        "All of Us Are Dead Season 2 — ‘지금 우리 학교는’ returns with Park Ji-hu’s On-jo",
        "All of Us Are Dead Season 2: On-jo’s café scene and the ‘시즌2’ teaser explained",
        "The Korean title ‘지금 우리 학교는’ trended for most of Sunday after Netflix posted a clip from All "
        "of Us Are Dead Season 2 — a quiet scene in a café near Sinchon where On-jo, now a first-year "
        "student, freezes when a siren sounds outside the window.",
    ),
    "control-chars": (
        "All of Us Are Dead Season 2 cast gathers for a final table read",
        "Photos from the last script reading of All of Us Are Dead Season 2",
        "The cast of All of Us Are Dead Season 2 met for one last table read before the final block of "
        "filming, the studio said. Returning and new actors read through the closing episodes together, "
        "and the session ran for most of the day with the directors taking notes on every scene.",
    ),
    "entities": (
        "All of Us Are Dead Season 2: fans crack the ]]> code & trade 🧟 theories",
        "All of Us Are Dead Season 2 Q&A: ‘]]>’, <3 & 🧟🎬 — what the hidden page said",
        "A hidden page on the marketing site for All of Us Are Dead Season 2 sent fans on a scavenger hunt "
        "this week. Its source code ended with a stray string of characters, and comment threads filled "
        "with zombie emoji as viewers traded theories about where the clues were pointing.",
    ),
    "retry-500": (
        "All of Us Are Dead Season 2 brings back its original composer",
        "The music of All of Us Are Dead Season 2 will sound familiar",
        "The composer who scored the first season has returned for All of Us Are Dead Season 2, the studio "
        "confirmed. The new score keeps the pulsing electronic theme of the original but adds a choir "
        "recorded in a church in Jeonju, according to the production notes.",
    ),
    "retry-503": (
        "Filming permits hint at a subway set for All of Us Are Dead Season 2",
        "All of Us Are Dead Season 2 builds a flooded underpass in Paju",
        "Paperwork filed by the producers of All of Us Are Dead Season 2 has given fans their first hint of "
        "where the story goes next. The documents describe a replica subway carriage and a flooded "
        "underpass, neither of which appeared anywhere in the first season.",
    ),
    "retry-429": (
        "All of Us Are Dead Season 2 teaser sets a record for Netflix Korea",
        "All of Us Are Dead Season 2 teaser views top every Korean series launch",
        "The teaser for All of Us Are Dead Season 2 became the most viewed Korean series trailer on "
        "Netflix's video channels within its first forty-eight hours, according to figures shared by the "
        "streamer, overtaking the record set by a survival drama the year before.",
    ),
    "dated-2099": (
        "All of Us Are Dead Season 2 makeup team redesigns the infected",
        "How All of Us Are Dead Season 2 made its zombies look older",
        "The infected in All of Us Are Dead Season 2 look different, and that is deliberate. The makeup "
        "team redesigned the prosthetics to suggest bodies exposed to the weather for months, with greyer "
        "skin, cracked lips and clothes bleached by the sun.",
    ),
    "dated-1970": (
        "Webtoon creator Joo Dong-geun visits the All of Us Are Dead Season 2 set",
        "All of Us Are Dead Season 2 welcomes the webtoon's creator to Paju",
        "Joo Dong-geun, whose webtoon inspired the series, spent a day on the set of All of Us Are Dead "
        "Season 2 in Paju. He was photographed with the young cast in front of the rebuilt school gates "
        "and later shared a sketch of On-jo with his followers.",
    ),
    "xss": (
        "<script>alert('aoud')</script>All of Us Are Dead Season 2 fan meeting tickets "
        '<img src=x onerror="alert(1)"> sell out',
        "All of Us Are Dead Season 2 watch party guide <svg onload=alert(2)> "
        '"><a href="javascript:alert(3)">',
        "Tickets for the first All of Us Are Dead Season 2 fan meeting sold out in under four minutes, "
        "Netflix Korea said, and resale listings appeared almost immediately at several times the face "
        "value. The streamer warned fans that transferred tickets will not be accepted at the door.",
    ),
    "trunc-1": (
        "All of Us Are Dead Season 2 cinematographer on shooting in the dark",
        "Lighting the night scenes of All of Us Are Dead Season 2",
        "Most of All of Us Are Dead Season 2 happens after sunset, and the camera team planned for that "
        "from the start. The cinematographer chose lenses that handle low light well and lit whole streets "
        "with practical lamps instead of large floodlights.",
    ),
    "trunc-2": (
        "All of Us Are Dead Season 2 casts a veteran actor as a hospital director",
        "A hospital director joins the story of All of Us Are Dead Season 2",
        "A veteran stage actor has joined All of Us Are Dead Season 2 as the director of the hospital "
        "where the survivors are treated after the outbreak. The role was added late in development, when "
        "the writers expanded the story of the quarantine.",
    ),
    "guid-first": (
        "All of Us Are Dead Season 2 stunt double shares a training diary",
        "The training diary of an All of Us Are Dead Season 2 stunt performer",
        "A stunt performer on All of Us Are Dead Season 2 has been posting a training diary that gives a "
        "rare look at how the action scenes were prepared, from rope work in a Namyangju gym to weeks spent "
        "learning to fall down stairs safely.",
    ),
    "index-child": (
        "All of Us Are Dead Season 2 costume designer explains the new wardrobe",
        "No more school uniforms in All of Us Are Dead Season 2",
        "The school uniforms are gone in All of Us Are Dead Season 2, replaced by university hoodies, work "
        "clothes and the padded jackets of the quarantine staff. The costume designer said each survivor's "
        "wardrobe was meant to show how far they had tried to move on.",
    ),
    "xxe-entry": (
        "All of Us Are Dead Season 2 location scouts picked a real campus",
        "A real university campus stands in for All of Us Are Dead Season 2",
        "Location scouts for All of Us Are Dead Season 2 spent months looking for a campus that could host "
        "a week of night shoots, and settled on a university in Chungcheong Province whose empty summer "
        "halls gave the crew room for a large crowd sequence.",
    ),
    "lol-entry": (
        "All of Us Are Dead Season 2 extras describe their first day as zombies",
        "What it is like to be an extra on All of Us Are Dead Season 2",
        "Extras on All of Us Are Dead Season 2 say the first day is the hardest: three hours in the makeup "
        "chair, then a movement rehearsal in which everyone learns the twitching run that became the first "
        "season's signature.",
    ),
    "polite-a": (
        "All of Us Are Dead Season 2 trailer breakdown: ten details you missed",
        "All of Us Are Dead Season 2 trailer: the clues in the background",
        "The first full trailer for All of Us Are Dead Season 2 runs just over two minutes, but it rewards "
        "a second look. Freeze frames reveal a quarantine map of Seoul, a name tag from Hyosan High and a "
        "text message that fans have been trying to decode.",
    ),
    "polite-b": (
        "All of Us Are Dead Season 2: where the first season left every survivor",
        "Before All of Us Are Dead Season 2, a refresher on the survivors",
        "With All of Us Are Dead Season 2 on the way, now is a good time to remember where the first season "
        "left its characters. A handful of students made it out of Hyosan High, and each of them carried "
        "something different away from the school.",
    ),
    "gone-404": (
        "All of Us Are Dead Season 2 location list leaks online",
        "All of Us Are Dead Season 2 shooting schedule posted by mistake",
        "A list of filming locations for All of Us Are Dead Season 2 circulated on a community forum on "
        "Wednesday after a staffing agency posted it in a job advertisement. The post was taken down within "
        "hours, but screenshots had already spread.",
    ),
    "gone-410": (
        "All of Us Are Dead Season 2 casting call for extras draws thousands",
        "Thousands apply to play zombies in All of Us Are Dead Season 2",
        "An open call for extras on All of Us Are Dead Season 2 drew more than eight thousand applications "
        "in three days, according to the casting agency. Applicants were asked to send a short video of "
        "themselves running, falling and then staying perfectly still.",
    ),
    "gone-good": (
        "All of Us Are Dead Season 2 crew donates set furniture to schools",
        "Set pieces from All of Us Are Dead Season 2 find a second life",
        "Desks, chairs and lab equipment built for All of Us Are Dead Season 2 will be donated to schools in "
        "Gyeonggi Province once filming ends, the production said. The props were made sturdy enough for "
        "stunt work, which makes them easy to reuse.",
    ),
    "long-title": (
        "All of Us Are Dead Season 2 exclusive set photos",
        "All of Us Are Dead Season 2 behind the scenes gallery",
        "A photo agency released a new set of behind-the-scenes pictures from All of Us Are Dead Season 2, "
        "showing the cast between takes at the Paju set. The images include a first look at the quarantine "
        "checkpoint that appears in the later episodes.",
    ),
    "big-body": (
        "All of Us Are Dead Season 2 fan wiki publishes its complete theory archive",
        "All of Us Are Dead Season 2 fans compile a giant theory archive",
        "A fan-run wiki has published a sprawling guide to All of Us Are Dead Season 2, gathering every "
        "casting report, set photo and teaser frame into a single page. Its editors say the archive already "
        "runs longer than the webtoon's complete script.",
    ),
    "bulk-good": (
        "All of Us Are Dead Season 2 still photographer shares his favourite set pictures",
        "The still photographer of All of Us Are Dead Season 2 on his best shots",
        "The still photographer of All of Us Are Dead Season 2 has published a small selection of his set "
        "pictures, from a foggy dawn on the Incheon waterfront to the cast sharing a meal between takes in "
        "a tent behind the Paju school set.",
    ),
    "huge-good": (
        "All of Us Are Dead Season 2 reveals its opening title sequence",
        "The opening titles of All of Us Are Dead Season 2 get an update",
        "The opening title sequence of All of Us Are Dead Season 2 swaps the first season's school "
        "corridors for aerial shots of a city under curfew, set to a slower arrangement of the original "
        "theme, according to a preview shown to the press.",
    ),
}

# Pages the contract says are never fetched or never stored still read like news.
SPARE_LEADS: Final = (
    "A leaked call sheet from All of Us Are Dead Season 2 suggests the final episode was filmed on a closed "
    "highway overpass in Goyang, with more than three hundred extras booked for two consecutive nights.",
    "Netflix Korea has begun recruiting a small group of fans to preview All of Us Are Dead Season 2 "
    "footage, according to a notice sent to members of its official community, though no date was given.",
    "A cafe near the Paju set has become an unofficial meeting point for All of Us Are Dead Season 2 fans, "
    "who leave handwritten notes for the cast on a board by the door.",
    "The official Korean account for All of Us Are Dead Season 2 posted a countdown clock on Monday, but it "
    "stopped at zero without any announcement, fuelling talk of a delayed reveal.",
)

# Korean: four themed columns (production, cast, premise, reaction) of three paragraphs each; every
# paragraph of the first column names the show, so every article's body does.
KOREAN_POOL: Final[tuple[tuple[str, ...], ...]] = (
    (
        "넷플릭스 시리즈 '지금 우리 학교는' 시즌2가 경기도 파주에 마련된 대형 세트장에서 촬영을 이어가고 "
        "있다. 제작진은 1편의 효산고등학교를 다시 지었고, 시간이 흐른 뒤의 모습을 보여주기 위해 복도와 "
        "교실을 낡게 꾸몄다.",
        "'지금 우리 학교는' 시즌2는 밤 장면이 유난히 많다. 스태프들은 해가 진 뒤 "
        "인천 항구 근처에서 촬영을 시작해 다음 날 아침까지 작업을 이어갔으며, "
        "수백 명의 보조 출연자가 좀비 분장을 한 채 현장을 지켰다.",
        "제작사 필름몬스터는 '지금 우리 학교는' 시즌2의 후반 작업 기간을 넉넉하게 "
        "잡았다고 밝혔다. 시각 효과 작업이 많아 공개 시점은 아직 정해지지 않았지만, "
        "업계에서는 2027년 공개를 유력하게 보고 있다.",
    ),
    (
        "박지후는 남온조 역으로, 조이현은 최남라 역으로 다시 돌아온다. 로몬 역시 이수혁 역으로 출연을 "
        "확정했고, 윤찬영의 복귀 소식에 팬들의 관심이 쏠리고 있다.",
        "새로 합류한 배우들도 눈길을 끈다. 이민재와 김시은이 다른 학교 학생으로 등장하고, 노재원은 격리 "
        "구역을 지키는 군인 한두석 역을 맡아 극의 긴장감을 높일 예정이다.",
        "배우들은 촬영에 앞서 서울에서 대본 리딩을 진행했다. 넷플릭스가 공개한 사진 속 배우들은 긴 테이블에 "
        "둘러앉아 대본을 읽으며 밝은 표정을 보였다.",
    ),
    (
        "시즌2는 효산고 생존자들이 학교를 졸업한 뒤의 이야기를 그린다. 평범한 삶으로 돌아가려던 이들은 "
        "다시 감염이 번지면서 또 한 번 선택의 기로에 서게 된다.",
        "원작 웹툰은 시즌2의 시간대보다 앞에서 끝났기 때문에 작가진이 새 이야기의 상당 부분을 직접 만들었다. "
        "천성일 작가는 재난 이후 살아남은 사람들을 사회가 어떻게 대하는지에 관심을 두었다고 한다.",
        "이번 시즌의 무대는 학교 밖으로 넓어진다. 격리된 도시와 군 검문소, 대학 캠퍼스가 주요 배경으로 "
        "등장하며, 1편보다 훨씬 큰 규모의 장면이 준비되어 있다.",
    ),
    (
        "시즌1은 공개 직후 넷플릭스 비영어 시리즈 부문 세계 순위 1위에 오르며 큰 인기를 얻었다. 그만큼 "
        "후속편에 대한 기대도 높아, 티저 영상은 공개 하루 만에 수백만 회 조회수를 기록했다.",
        "팬들은 온라인 커뮤니티에서 촬영 현장 목격담을 나누며 새 시즌을 기다리고 있다. 일부 팬들은 "
        "시즌1의 인물이 다시 등장하기를 바란다는 의견을 남기기도 했다.",
        "평론가들은 조심스럽게 기대를 나타냈다. 한 평론가는 1편의 힘이 학교라는 닫힌 공간에서 나왔다며, "
        "더 넓어진 무대가 긴장감을 유지할 수 있을지가 관건이라고 말했다.",
    ),
)
# Rows per column for the six Korean articles: any two share at most one paragraph.
KOREAN_LINES: Final = ((0, 0, 0, 0), (0, 1, 1, 1), (0, 2, 2, 2), (1, 0, 1, 2), (1, 1, 2, 0), (1, 2, 0, 1))

# Korean stories: (headline on the feed route, headline on the sitemap route).
KOREAN_HEADLINES: Final[dict[str, tuple[str, str]]] = {
    "euckr-as-utf8": (
        "지금 우리 학교는 시즌2, 파주 세트장서 밤샘 촬영",
        "지금 우리 학교는 시즌2 제작진, 효산고 다시 지었다",
    ),
    "utf8-as-euckr": (
        "지금 우리 학교는 시즌2 대본 리딩 현장 공개",
        "지금 우리 학교는 시즌2 새 얼굴 이민재 김시은 합류",
    ),
    "korean": (
        "지금 우리 학교는 시즌2 티저 공개 하루 만에 조회수 폭발",
        "지금 우리 학교는 시즌2 공개 시기 2027년 유력",
    ),
}
# Korean leads: (on the feed route, on the sitemap route); each article is its lead and four pool paragraphs.
KOREAN_LEADS: Final[dict[str, tuple[str, str]]] = {
    "euckr-as-utf8": (
        "넷플릭스 오리지널 시리즈 '지금 우리 학교는' 시즌2 제작진이 경기도 파주의 세트장에서 밤샘 "
        "촬영을 이어가고 있다. 현장을 찾은 관계자에 따르면 배우들은 새벽까지 이어지는 추격 장면을 "
        "여러 차례 반복해 찍었으며, 제작진은 안전을 위해 휴식 시간을 평소보다 늘렸다.",
        "'지금 우리 학교는' 시즌2 미술팀이 1편의 무대였던 효산고등학교를 처음부터 다시 지었다. 미술 "
        "감독은 원래 설계도를 바탕으로 건물을 세운 뒤, 몇 년의 시간이 흐른 것처럼 보이도록 벽과 "
        "바닥을 일부러 낡게 만들었다고 설명했다.",
    ),
    "utf8-as-euckr": (
        "'지금 우리 학교는' 시즌2 배우들이 서울의 한 연습실에서 대본 리딩을 가졌다. 이날 리딩에는 "
        "돌아오는 배우들과 새로 합류한 배우들이 모두 참석했으며, 감독과 작가도 자리를 지키며 장면마다 "
        "의견을 나눴다.",
        "'지금 우리 학교는' 시즌2에 배우 이민재와 김시은이 새로 합류한다. 두 사람은 효산고 생존자들과 "
        "다른 학교에 다니는 학생으로 등장하며, 촬영 전 몇 달 동안 액션 훈련을 받은 것으로 알려졌다.",
    ),
    "korean": (
        "넷플릭스가 공개한 '지금 우리 학교는' 시즌2 티저 영상이 하루 만에 큰 화제를 모았다. 텅 빈 "
        "교실과 깜빡이는 휴대전화 화면만 담긴 짧은 영상이었지만, 팬들은 장면 하나하나를 분석하며 새 "
        "이야기를 예측하고 있다.",
        "'지금 우리 학교는' 시즌2의 공개 시기가 2027년으로 좁혀지고 있다. 업계 관계자들은 시각 효과 "
        "작업에 시간이 많이 걸리는 만큼 내년 상반기 공개가 유력하다고 내다봤다.",
    ),
}


def korean_paragraphs(index: int) -> list[str]:
    """The four paragraphs of the `index`-th Korean article (0–5)."""
    rows = KOREAN_LINES[index % len(KOREAN_LINES)]
    return [KOREAN_POOL[column][row] for column, row in enumerate(rows)]
