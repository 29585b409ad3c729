"""The red-flag rules (resolvers/data/red_flags.json) on real-looking first messages in
the demo data's languages: each scam sign is caught, ordinary recruiting is not."""

from __future__ import annotations

import pytest

from resolvers.safety.red_flags import RedFlagKind, red_flags_in

MONEY, OFF, SHORT = RedFlagKind.MONEY_REQUEST, RedFlagKind.OFF_PLATFORM_CONTACT, RedFlagKind.LINK_SHORTENER

FLAGGED = [
    # English
    ("en", "Congratulations, you are selected! Please send me your bank details so we can set up your payroll.", [MONEY]),
    ("en", "Before onboarding you need to pay a $150 training fee via gift cards.", [MONEY]),
    ("en", "Let's continue on WhatsApp, it's faster: +1 555 0100", [OFF]),
    ("en", "Please contact me at recruiter.jobs@gmail.com for the next steps.", [OFF]),
    ("en", "Apply here: bit.ly/3xYzAbC", [SHORT]),
    # German
    ("de", "Bitte senden Sie uns Ihre Bankverbindung und eine Kopie Ihres Ausweises.", [MONEY]),
    ("de", "Für die Einarbeitung überweisen Sie bitte vorab eine Gebühr von 200 Euro.", [MONEY]),
    ("de", "Schreiben Sie mir auf Telegram, dort besprechen wir alles Weitere.", [OFF]),
    ("de", "Alle Details zur Stelle finden Sie hier: tinyurl.com/stelle-remote", [SHORT]),
    # French
    ("fr", "Merci de nous envoyer vos coordonnées bancaires pour finaliser votre contrat.", [MONEY]),
    ("fr", "Des frais de dossier de 90 € sont à régler avant l'entretien.", [MONEY]),
    ("fr", "Contactez-moi sur WhatsApp pour la suite du recrutement.", [OFF]),
    ("fr", "Écrivez-moi à mon adresse e-mail personnelle : rh.emplois@hotmail.fr", [OFF]),
    # Spanish
    ("es", "Para darte de alta necesitamos tus datos bancarios y una foto de tu DNI.", [MONEY]),
    ("es", "Debes pagar una cuota de 50 euros para el material de formación.", [MONEY]),
    ("es", "Escríbeme por Telegram y te cuento los detalles del puesto.", [OFF]),
    ("es", "Mira la oferta aquí: cutt.ly/oferta-remota", [SHORT]),
    # Dutch, Portuguese, Polish
    ("nl", "Stuur ons uw bankgegevens zodat we de eerste betaling kunnen doen.", [MONEY]),
    ("pt", "Envie seus dados bancários para concluirmos a contratação.", [MONEY]),
    ("pl", "Prosimy o podanie numer konta do wypłaty wynagrodzenia.", [MONEY]),
    # several at once
    ("en", "Send me your bank details and write on WhatsApp: bit.ly/job", [MONEY, OFF, SHORT]),
]

CLEAN = [
    ("en", "Hi Ada, we are hiring a data engineer in Berlin (70–90k EUR). Would you like to talk next week?"),
    ("en", "Our benefits include a training budget and a fee-free bank account is not required."),
    ("de", "Hallo Jonas, wir suchen eine Backend-Entwicklerin in Hamburg. Hätten Sie Zeit für ein kurzes Gespräch?"),
    ("fr", "Bonjour Camille, votre profil nous intéresse pour un poste de développeuse à Lyon. Êtes-vous disponible ?"),
    ("es", "Hola Lucía, buscamos una ingeniera de datos en Madrid. ¿Te apetece hablar esta semana?"),
    ("en", "You can read about us at https://www.example.org/careers before our call."),
]


@pytest.mark.parametrize(("language", "body", "expected"), FLAGGED)
def test_scam_signs_are_flagged(language: str, body: str, expected: list[RedFlagKind]) -> None:
    assert red_flags_in(body) == expected, (language, body)


@pytest.mark.parametrize(("language", "body"), CLEAN)
def test_ordinary_recruiting_is_not_flagged(language: str, body: str) -> None:
    assert red_flags_in(body) == [], (language, body)


def test_at_least_three_languages_are_covered() -> None:
    assert {language for language, _, _ in FLAGGED} >= {"en", "de", "fr", "es"}
