#!/bin/sh
# Remakes the e-mail fixtures in testdata/formats/mail/ with Python 3's
# email package (the library many mail tools are built on): a message with
# an RFC 2047 encoded subject, a Latin-1 quoted-printable text body, a
# base64 HTML alternative, a CSV attachment and a binary attachment (a
# PNG-signed blob); and a forwarded message nested as message/rfc822.
# formats/mail_test.go lists what each must give; change both together.
# All values are synthetic. Needs python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/mail"
mkdir -p "$out"
python3 - "$out" <<'PY'
import sys
from email.message import EmailMessage
from email.policy import SMTP

out = sys.argv[1]
m = EmailMessage(policy=SMTP)
m["From"] = "Jérôme Dupont <jerome@example.com>"
m["To"] = "audit@example.com"
m["Subject"] = "Relevé: ssn 123-45-6789 enclosed"
m["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
m["Message-ID"] = "<fixture-1@example.com>"
m.set_content(
    "Bonjour,\n\nVoici le numéro de carte bancaire : credit card 4539 1488 0343 6467.\n"
    "Café crème, naïve façade.\n" + "Une ligne assez longue pour être coupée " * 3 + "fin.\n",
    charset="latin-1", cte="quoted-printable")
m.add_alternative(
    "<html><body><p>Passport <b>X1234567</b></p><p>ssn 078-05-1120 &amp; 219-09-9999</p></body></html>\n",
    subtype="html", cte="base64")
m.add_attachment(b"name,ssn\nJane Doe,123-45-6789\n", maintype="text", subtype="csv", filename="people.csv")
m.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, maintype="image", subtype="png", filename="scan.png")
with open(f"{out}/message.eml", "wb") as f:
    f.write(m.as_bytes())

fwd = EmailMessage(policy=SMTP)
fwd["From"] = "boss@example.com"
fwd["To"] = "audit@example.com"
fwd["Subject"] = "Fwd: the original"
fwd.set_content("See the forwarded message below.\n")
inner = EmailMessage(policy=SMTP)
inner["From"] = "clerk@example.com"
inner["Subject"] = "original"
inner.set_content("Employee ssn 123-45-6789 in the forwarded body.\n")
fwd.add_attachment(inner)
with open(f"{out}/forward.eml", "wb") as f:
    f.write(fwd.as_bytes())
PY
