from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.errors import FieldProblem, InvalidField, InvalidInput

field_names = st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True)


@given(field_names, field_names, st.text())
def test_a_nested_field_problem_is_named_by_its_dotted_path(
    parent: str, field: str, message: str
) -> None:
    nested = InvalidField(field, message).at(parent)
    assert (nested.field, nested.message) == (f"{parent}.{field}", message)
    assert nested.problems == (FieldProblem(f"{parent}.{field}", message),)


@given(st.lists(st.builds(FieldProblem, field_names, st.text()), min_size=1, max_size=5))
def test_invalid_input_carries_every_problem_and_the_invalid_request_code(
    problems: list[FieldProblem],
) -> None:
    error = InvalidInput(problems)
    assert error.problems == tuple(problems)
    assert error.code == "invalid_request"
    assert all(p.field in error.detail for p in problems)
