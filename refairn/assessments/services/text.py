"""Text as the question bank and attempts store it."""


def clean_text(value: str) -> str:
    # One newline convention, as GIFT export and import use, so a round trip is exact.
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()
