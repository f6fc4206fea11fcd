"""The README's Python examples, run as written.

jsii-rosetta compiles the TypeScript examples (strict) on every build; these run the Python ones
against the built wheel, each in a stack (``self``) with the names a Python file would import.
"""
import pathlib
import re

import aws_cdk as cdk
import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_lambda as lambda_

import cdk_bulwark

from conftest import env

ROOT = pathlib.Path(__file__).resolve().parents[3]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def test_the_readme_shows_python_examples():
    # One per TypeScript example of a construct: QueueWorker, SecureFunction, profiles, Monitoring.
    assert len(BLOCKS) >= 4


@pytest.fixture
def handler_folders():
    """The asset folders the examples name, relative to where the jsii runtime resolves them (the
    directory pytest runs in)."""
    made = []
    for name in ("orders", "producer"):
        folder = pathlib.Path.cwd() / "handlers" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.js").write_text("exports.handler = async () => ({ batchItemFailures: [] });")
        made.append(folder)
    yield
    for folder in made:
        (folder / "index.js").unlink()
        folder.rmdir()
    (pathlib.Path.cwd() / "handlers").rmdir()


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_a_readme_example_synthesizes(source, tmp_path, handler_folders):
    app = App(outdir=str(tmp_path / "cdk.out"))
    scope = {"cdk": cdk, "App": App, "Stack": Stack, "Duration": Duration, "lambda_": lambda_}
    scope.update({name: getattr(cdk_bulwark, name) for name in cdk_bulwark.__all__})
    scope["self"] = Stack(app, "Example", env=env())

    exec(compile(source, "README.md", "exec"), scope)

    # An example that makes its own app and stack stops before adding constructs: add one, as its
    # reader would, so that the strict checks it turned on have a template to judge.
    own_stack = scope.get("stack")
    if isinstance(own_stack, Stack) and not own_stack.node.children:
        cdk_bulwark.SecureFunction(own_stack, "Fn", code=lambda_.Code.from_inline("exports.handler = async () => {};"),
                                   handler="index.handler")
    for built in {id(a): a for a in (app, scope.get("app")) if isinstance(a, App)}.values():
        assert built.synth().stacks, "the example synthesizes at least one stack"
