"""Writes portal/data/common_passwords.txt from well-known weak patterns.

Nothing is downloaded: the list is built from the words, names, keyboard walks
and decorations that breach studies keep finding at the top of every list.
The checker (portal.services.passwords.is_common) also strips leading and
trailing digits and symbols and undoes l33t spelling, so a base word here
covers "Dragon2024!" and "dr@gon" as well. Run:  python tools/make_common_passwords.py
"""

from __future__ import annotations

import itertools
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "portal" / "data" / "common_passwords.txt"


def _words(block: str) -> list[str]:
    """Whitespace-separated entries of a text block (easier to read and extend)."""
    return block.split()


WORDS = _words("""
password passw0rd passwd pass word secret letmein welcome hello goodbye iloveyou
loveyou iloveu lovely love lover loving admin administrator root user guest login
logon default changeme change test tester testing demo sample example qwerty
azerty qwertz monkey dragon master shadow sunshine princess prince queen king
football baseball basketball soccer hockey cricket rugby tennis golf boxing
superman batman spiderman ironman wolverine starwars jedi skywalker pokemon pikachu
minecraft fortnite roblox mario zelda sonic gamer gaming player trustno1 whatever
freedom blessed faith hope jesus christ angel angels heaven devil hunter ranger
killer ninja samurai pirate cowboy tiger lion eagle falcon panther wolf bear
shark dolphin dragonfly butterfly flower flowers rose daisy lily sunflower
summer winter spring autumn january february march april june july august
september october november december monday friday sunday weekend holiday
chocolate cookie cookies cupcake candy sugar honey sweetie sweetheart
darling baby babygirl babyboy mummy mommy mother mum daddy father family
brother sister friend friends bestfriend forever together always nothing
computer internet google facebook instagram twitter youtube netflix spotify
apple samsung iphone android windows microsoft linux server network system
london manchester liverpool chelsea arsenal everton tottenham united city
england scotland wales ireland britain america canada australia london123
charlie thomas jessica ashley daniel matthew andrew joshua michael jennifer
jordan robert william david richard joseph james john george harry oliver
jack jacob emily olivia sophie amelia isla ava mia grace lucy ella chloe
hannah sarah laura emma rachel rebecca natalie charlotte victoria elizabeth
alexander benjamin samuel christopher jonathan nicholas anthony patrick
buster pepper ginger harley maggie bailey molly teddy lucky coco milo max
bella luna poppy rosie toby oscar alfie archie buddy rocky duke bandit
starlight moonlight sunrise sunset rainbow thunder lightning storm snow
diamond silver golden gold money dollar cash rich lucky7 winner champion
hello123 abc abcdef abcdefg abcdefgh abcdefghi abcdefghij qwe qwer qwert
asd asdf asdfg asdfgh zxc zxcv zxcvb zxcvbn zxcvbnm qazwsx qweasd qweasdzxc
letmein1 welcome1 password1 iloveyou1 trustno1 access access14 matrix
mustang ferrari porsche corvette harley yamaha honda toyota nissan
hospital doctor nurse clinic clinics patient medical health healthy diary
portal ivig immunoglobulin myositis dermatomyositis juvenile jdm steroid
prednisolone infusion drip needle medicine tablets
""")

WALKS = _words("""
1234567890 0123456789 9876543210 0987654321 12345678910 123456789012
1122334455 1212121212 1231231231 1234512345 1234554321 12344321
qwertyuiop qwertyuiop[] poiuytrewq asdfghjkl asdfghjkl; lkjhgfdsa zxcvbnm,./
mnbvcxz 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc 1qaz2wsx 1qazxsw2 zaq12wsx
zaq1zaq1 zaq1xsw2 !qaz2wsx qazwsxedc qazwsxedcrfv q1w2e3r4t5 q1w2e3r4t5y6
a1b2c3d4e5 abc123abc123 abcd1234 abcd12345 aa123456 qwerty123456
qwertyqwerty asdasdasd asdasdasdasd qweqweqwe 123qwe123qwe 123qweasdzxc
1qw23er45t 147258369 159753 159357 7894561230 963852741 741852963
passwordpassword iloveyouiloveyou abcabcabc abcabcabcabc
""")

SUFFIXES = ["1", "12", "123", "1234", "12345", "123456", "1!", "123!", "2024", "2025"]
TOP = WORDS[:40]


def generate() -> list[str]:
    """Every entry, lower-case, unique, in a stable order."""
    entries: dict[str, None] = {}
    for word in itertools.chain(WORDS, WALKS):
        entries[word] = None
    for word, suffix in itertools.product(WORDS, SUFFIXES):
        candidate = word + suffix
        if len(candidate) >= 10:
            entries[candidate] = None
    for first, second in itertools.product(TOP, repeat=2):
        candidate = first + second
        if len(candidate) >= 10:
            entries[candidate] = None
    for phrase in ("iloveyou", "ilove", "imy"):
        for word in WORDS:
            candidate = (phrase + word).replace(" ", "")
            if len(candidate) >= 10:
                entries[candidate] = None
    return list(entries)


def main() -> None:
    lines = generate()
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} entries to {OUT}")


if __name__ == "__main__":
    main()
