"""Words that make a capitalised name a person's, a date or an organisation's, not a place's.

One list of each, read by the matcher (``geoparse``), the GeoNames index
(``geonames``: never a town, however big) and the finder of unknown names
(``unknowns``), so the three agree on what a person or a title is.
"""
from __future__ import annotations

# "President Zardari", "Premier Li Qiang": a title makes the next names a person's.
TITLES = frozenset(
    """president premier mr mrs ms dr sir madam chairman chairwoman minister secretary ambassador governor
    senator prince princess king queen sheikh emir general marshal commander excellency vice chief justice
    comrade councillor mayor envoy spokesperson spokesman""".split()
)

# Given names and surnames met in declarations (Pakistani, Chinese, world leaders).
PERSONAL_NAMES = frozenset(
    """ali asif zardari bilawal bhutto shehbaz shahbaz nawaz sharif imran khan ishaq dar asim munir muhammad
    mohammad ahmed ahmad hassan hussain hussein abdul rahman raza aziz iqbal jinnah
    xi jinping li qiang zhao leji wang yi zhang liu chen yang huang zhou wu xu sun hu zhu gao lin guo ma luo
    liang song zheng xie han tang feng yu dong xiao cheng cao yuan deng fu shen zeng peng su lu jiang cai jia
    ding wei xue ye yan pan du dai xia zhong tian ren fan fang shi yao tan liao zou xiong jin hao kong bai cui
    kang mao qiu qin gu hou shao meng long wan duan lei qian yin wen keqiang
    modi putin biden trump erdogan""".split()
)

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())
# Abbreviated days and months ("Mon", "Sept"): a date, never a place.
DATE_ABBREVIATIONS = frozenset("mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec".split())

# A capitalised name that ends in one of these is an organisation or an event:
# "Belt and Road Initiative", "UN Security Council", "Karachi Port Trust".
ORG_WORDS = frozenset(
    """initiative council games party bank corporation company university institute forum committee group
    ministry agency authority fund organisation organization association league club government commission
    board society foundation federation congress assembly court tribune times daily trust holdings railways
    airlines airways ports""".split()
)
# The organisation words of businesses: a country's name inside one ("China Harbour Engineering
# Company", "Kenya Railways Corporation") is part of a firm's name, not the country, while
# "the Pakistan Government" and "the China-Pakistan Economic Corridor" still are about it.
COMPANY_WORDS = frozenset(
    """bank corporation company group holdings railways airlines airways ports trust authority""".split()
)
