"""Benchmark: conflict checks against 50,000 people, beside a plain linear rapidfuzz scan.

Builds 50,000 synthetic members and parties from the name lists below (surnames drawn with a
Zipf-like skew, so "Smith" is common as in real life; some middle names, titles, "Surname,
First" entries, nicknames and non-Latin names), then times 200 ``ConflictIndex.match`` calls
(half of them variants of people in the index, half new names) and, as the peer, the same 200
queries through ``rapidfuzz.process.extract`` over all 50,000 normalised names with
``token_sort_ratio``. Prints one line per figure; the ratio is index time / peer time.

Run: ``.venv/bin/python benchmarks/bench_conflicts.py``
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

# Run as a script from a checkout: make the project importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import Bench
from vault.casework.conflict_matcher import ConflictIndex, Person
from vault.casework.names import normalise_name

PEOPLE = 50_000
QUERIES = 200
SEED = 20261123


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Peter Zachary Douglas Harold Kyle Noah Oliver Harry "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma "
    "Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria "
    "Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan "
    "Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison "
    "Frances Kathryn Janice Jean Abigail Alice Julia Judy Sophia Grace Denise Amber Doris "
    "Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla "
    "Priya Aisha Fatima Mohammed Ahmed Ali Omar Yusuf Raj Sanjay Anil Deepak Wei Li Hiroshi "
    "Kenji Olga Ivan Dmitri Piotr Katarzyna Siobhan Niamh Aoife Ciaran Eoin Rhys Dylan Iwan "
    "Bethan Gareth Jon Bob Bill Liz Kate Jim Dave Steve Mike Chris Tom Sue Jenny Sam Alex"
)

SURNAMES = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
    "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
    "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb "
    "Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes "
    "Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham "
    "Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders "
    "Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson "
    "Ball Burton Obrien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes "
    "Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn "
    "Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver "
    "Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess "
    "Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton "
    "Byrne Sutton Mcdonald Yates Hodgson Robson Curtis Hopkins Oconnor Harper Coleman Watkins "
    "Moss Mccarthy Chambers Odonnell Griffin Sharp Hardy Wheeler Potter Osborne Johnston "
    "Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis "
    "Nguyen Chen Wang Kowalski Nowak Novak Ivanova Petrov Okafor Mensah Abubakar Rahman "
    "Chowdhury Begum Miah Sharma Gupta Kumar Das Leigh Smyth Nunez Garcia Lopez Fernandes"
)

MIDDLE_NAMES = _words("Anne Marie Louise James John Elizabeth Rose Michael David Jane Lee May")
TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Miss")
NON_LATIN = (
    "Иван Петров",
    "Ольга Смирнова",
    "Дмитрий Иванов",
    "王小明",
    "李 华",
    "张伟",
    "田中 太郎",
    "Γιώργος Παπαδόπουλος",
    "محمد علي",
    "राहुल शर्मा",
    "김민준",
    "Σοφία Νικολάου",
)
ROLES = ("member", "manager", "witness", "complainant", "subject", "colleague")
NICKNAMES = {
    "Jonathan": "Jon", "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz",
    "Katherine": "Kate", "James": "Jim", "David": "Dave", "Steven": "Steve",
    "Michael": "Mike", "Christopher": "Chris", "Thomas": "Tom", "Susan": "Sue",
    "Jennifer": "Jenny", "Samuel": "Sam", "Alexander": "Alex",
}  # fmt: skip


def synthetic_people(rng: random.Random, count: int) -> list[Person]:
    """``count`` people with realistic name shapes, about one in six a member."""
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(SURNAMES))]
    people: list[Person] = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.02:
            name = rng.choice(NON_LATIN)
        else:
            first = rng.choice(FIRST_NAMES)
            surname = rng.choices(SURNAMES, weights)[0]
            if rng.random() < 0.12:
                surname = f"{surname}-{rng.choices(SURNAMES, weights)[0]}"
            middle = f" {rng.choice(MIDDLE_NAMES)}" if rng.random() < 0.15 else ""
            if roll < 0.10:
                name = f"{surname}, {first}{middle}"
            elif roll < 0.18:
                name = f"{rng.choice(TITLES)} {first}{middle} {surname}"
            else:
                name = f"{first}{middle} {surname}"
        role = rng.choice(ROLES)
        is_member = role == "member"
        people.append(
            Person(
                key=f"p{i:06d}",
                name=name,
                case_ref=None if is_member else f"C-2026-{rng.randrange(1, 4000):04d}",
                role=role,
                membership_number=f"M{rng.randrange(10**7):07d}" if is_member else None,
                email=f"user{i}@example.org" if rng.random() < 0.3 else None,
            )
        )
    return people


def queries(rng: random.Random, people: Sequence[Person], count: int) -> list[str]:
    """Half variants of indexed people (nickname, typo, case), half fresh combinations."""
    out: list[str] = []
    for n in range(count):
        if n % 2 == 0:
            name = rng.choice(people).name
            first, _, rest = name.partition(" ")
            if first in NICKNAMES and rest:
                name = f"{NICKNAMES[first]} {rest}"
            elif len(name) > 6 and rng.random() < 0.5:
                cut = rng.randrange(2, len(name) - 2)
                name = name[:cut] + name[cut + 1] + name[cut] + name[cut + 2 :]
            out.append(name.upper() if rng.random() < 0.2 else name)
        else:
            out.append(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}")
    return out


def time_calls(call: Callable[[str], object], names: Sequence[str]) -> list[float]:
    """Milliseconds per call, one entry per name."""
    timings: list[float] = []
    for name in names:
        start = time.perf_counter()
        call(name)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main(argv: list[str] | None = None) -> int:
    ap = Bench.arguments(__doc__.splitlines()[0] if __doc__ else "")
    args = ap.parse_args(argv)
    bench = Bench.from_args("conflicts", args, __doc__ or "")
    people_n = 2_000 if args.quick else PEOPLE
    rng = random.Random(SEED)
    people = synthetic_people(rng, people_n)
    names = queries(rng, people, QUERIES)
    bench.group = f"{people_n:,} people indexed, {QUERIES} queries"
    normalised = [normalise_name(p.name).full for p in people]

    def build() -> None:
        ConflictIndex.build(people)

    bench.measure("build the index", build, repeats=1)
    index = ConflictIndex.build(people)

    def linear(name: str) -> object:
        return process.extract(normalise_name(name).full, normalised,
                               scorer=fuzz.token_sort_ratio, score_cutoff=80, limit=None)

    for name in names[:10]:  # warm both alike
        index.match(name)
        linear(name)
    ours: list[float] = []
    theirs: list[float] = []
    for name in names:  # each query back to back: ours, then the peer
        t = time.perf_counter()
        index.match(name)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        linear(name)
        theirs.append(time.perf_counter() - t)
    for p, target in ((50, ""), (95, "≤ 100 ms")):
        bench.add_percentiles(f"conflict check p{p}", ours, theirs,
                              peer_name="linear rapidfuzz.process.extract", p=p, target=target,
                              rounds=bench.repeats)
    flagged = [len(index.match(name)) for name in names]
    bench.context["people_flagged_per_query"] = (f"mean {statistics.mean(flagged):.1f}, "
                                                 f"max {max(flagged)}")
    return bench.finish()


if __name__ == "__main__":
    raise SystemExit(main())
