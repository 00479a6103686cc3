"""What changed between two versions, paragraph and word by word, escaped."""

from convene.statements.diffing import compare, words


def kinds(result):
    return [p.kind for p in result]


def test_the_same_text_has_no_change():
    text = "One.\n\nTwo."
    result = compare(text, text)
    assert kinds(result) == ["equal", "equal"] and "<ins>" not in "".join(p.html for p in result)


def test_a_changed_word_is_marked_within_its_paragraph():
    result = compare("One.\n\nThe rights of migrants.", "One.\n\nThe human rights of all migrants.")
    assert kinds(result) == ["equal", "change"]
    assert result[1].html == "The <ins>human </ins>rights of <ins>all </ins>migrants."
    assert words("decent work", "fair work") == "<del>decent </del><ins>fair </ins>work"


def test_paragraphs_added_and_removed_whole():
    result = compare("One.\n\nTwo.\n\nThree.", "One.\n\nThree.\n\nFour.")
    assert kinds(result) == ["equal", "delete", "equal", "insert"]
    assert result[1].html == "<del>Two.</del>" and result[3].html == "<ins>Four.</ins>"


def test_more_paragraphs_replaced_than_before():
    result = compare("A b.\n\nEnd.", "A c.\n\nNew one.\n\nEnd.")
    assert kinds(result) == ["change", "insert", "equal"]


def test_text_is_escaped_and_unicode_words_are_whole():
    result = compare("Права <b>мигрантов</b>.", "Права трудящихся <b>мигрантов</b>.")
    assert result[0].html == "Права <ins>трудящихся </ins>&lt;b&gt;мигрантов&lt;/b&gt;."
    assert "<script>" not in compare("x", "<script>alert(1)</script>")[0].html
