from hypothesis import given, settings
from hypothesis import strategies as st

from claimrisk.segment import split_sentences


def texts(doc):
    return [s.text for s in split_sentences(doc)]


def test_headings_lists_and_sentences():
    doc = (
        "# Kratom Dosage Guide\n"
        "- Start with a low dose\n"
        "2. Numbered item here\n"
        "Dr. Smith said approx. 2.5 mg daily (e.g. with food) is typical. Doses of 4-8 g are risky!\n"
        "“Is it safe?” she asked. It is (mostly) legal in the U.S. today.\n"
    )
    assert texts(doc) == [
        "Kratom Dosage Guide",
        "Start with a low dose",
        "Numbered item here",
        "Dr. Smith said approx. 2.5 mg daily (e.g. with food) is typical.",
        "Doses of 4-8 g are risky!",
        "“Is it safe?” she asked.",
        "It is (mostly) legal in the U.S. today.",
    ]


def test_offsets_slice_the_original_text():
    doc = "  Intro line\r\n\r\nTake 500 mg. twice a day. Then stop.\n\n• Bullet"
    spans = split_sentences(doc)
    assert [doc[s.start : s.end] for s in spans] == [s.text for s in spans]
    assert [s.text for s in spans] == ["Intro line", "Take 500 mg. twice a day.", "Then stop.", "Bullet"]


def test_empty_and_punctuation_only_lines_give_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n\n---\n***\n") == []


html_ish = st.lists(
    st.sampled_from(["<p>", "</p>", "<br>", "<script>x</script>", "&amp;", "Dr.", "2.5 mg", "e.g.", "\n", " ", ".", "!", "?", "•", "- "])
    | st.text(max_size=30),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), html_ish, st.text(alphabet=st.characters(codec="utf-8"), max_size=200)))
def test_splitter_never_raises_and_offsets_are_exact(doc):
    previous_end = 0
    for span in split_sentences(doc):
        assert doc[span.start : span.end] == span.text
        assert span.text.strip() == span.text and span.text
        assert span.start >= previous_end
        previous_end = span.end


def test_very_long_input():
    doc = "Word " * 20000 + "end."
    spans = split_sentences(doc)
    assert spans and all(doc[s.start : s.end] == s.text for s in spans)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<html>", "<body>", "<script>alert(1)</script>", "<p>", "</p>", "<nav>menu</nav>", "<br/>",
                                 "<div", ">", "&nbsp;", "&#x0;", "<!--", "-->", "<style>p{}</style>", "Take 2 g.", "\x00", "é"])
                | st.text(max_size=20), max_size=40).map("".join))
def test_html_to_text_never_raises_and_offsets_stay_exact(html):
    from claimrisk.documents import html_to_text

    text = html_to_text(html)
    for span in split_sentences(text):
        assert text[span.start : span.end] == span.text


def test_html_to_text_drops_scripts_styles_and_navigation():
    from claimrisk.documents import html_to_text

    page = ("<html><head><title>T</title><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<nav>Home | Shop</nav><main><h1>Ginger</h1><p>Ginger may ease nausea.</p><!-- hidden --></main>"
            "<footer>© 2026</footer></body></html>")
    assert html_to_text(page) == "Ginger\nGinger may ease nausea."
