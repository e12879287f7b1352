"""The bundled model, loaded once for the tests that need it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from classifier import Analyzer
from classifier.model.bundle import ModelBundle


@pytest.fixture(scope="session")
def bundle() -> Iterator[ModelBundle]:
    """The shipped model (classifier/model/weights), int8 as in production."""
    loaded = ModelBundle.load()
    yield loaded
    loaded.close()


@pytest.fixture(scope="session")
def fused(bundle: ModelBundle) -> Analyzer:
    """An analyzer with rules, indicators and the model fused."""
    return Analyzer(model=bundle)
