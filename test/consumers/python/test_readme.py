"""The Python examples of the README and of docs/*.md, run as written.

jsii-rosetta (README) and test/docs/examples.test.ts (docs) compile the TypeScript examples on every
build; these run the Python ones against the built wheel, each in a stack (``self``) and with nothing
else: the imports an example needs must be in it.
"""
import pathlib
import re

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_lambda as lambda_

import cdk_bulwark

from conftest import env

ROOT = pathlib.Path(__file__).resolve().parents[3]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES = [(f"{page.name}#{i + 1}", block) for page in PAGES
            for i, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S))]
BLOCKS = [block for _, block in EXAMPLES]


def test_the_readme_and_construct_pages_show_python_examples():
    # README: QueueWorker, SecureFunction, profiles, Monitoring; docs: one per construct page.
    names = [name for name, _ in EXAMPLES]
    assert sum(name.startswith("README.md#") for name in names) >= 4
    for page in ("queue-worker.md", "event-hub.md", "secure-function.md", "secure-topic.md", "monitoring.md",
                 "user-directory.md", "secure-api.md", "secure-http-api.md", "workflow.md", "secure-graphql-api.md",
                 "container-service.md", "secure-bucket.md",
                 "stream-processor.md", "query-workgroup.md", "serverless-database.md", "secure-websocket-api.md"):
        assert f"{page}#1" in names


@pytest.fixture
def handler_folders():
    """The asset folders the examples name, relative to where the jsii runtime resolves them (the
    directory pytest runs in)."""
    made = []
    # Every folder an example names (Code.from_asset("handlers/<name>")), so a new example needs no list here.
    names = sorted({name for source in BLOCKS for name in re.findall(r'from_asset\("handlers/([A-Za-z0-9_-]+)"\)', source)})
    for name in names:
        folder = pathlib.Path.cwd() / "handlers" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.js").write_text("exports.handler = async () => ({ batchItemFailures: [] });")
        made.append(folder)
    yield
    for folder in made:
        (folder / "index.js").unlink()
        folder.rmdir()
    (pathlib.Path.cwd() / "handlers").rmdir()


@pytest.mark.parametrize("source", BLOCKS, ids=[name for name, _ in EXAMPLES])
def test_a_readme_example_synthesizes(source, tmp_path, handler_folders):
    app = App(outdir=str(tmp_path / "cdk.out"))
    # Only ``self``: an example runs with the imports it shows, so a reader can paste it into a file.
    scope = {"self": Stack(app, "Example", env=env())}

    exec(compile(source, "example", "exec"), scope)

    # An example that makes its own app and stack stops before adding constructs: add one, as its
    # reader would, so that the strict checks it turned on have a template to judge.
    own_stack = scope.get("stack")
    if isinstance(own_stack, Stack) and not own_stack.node.children:
        cdk_bulwark.SecureFunction(own_stack, "Fn", code=lambda_.Code.from_inline("exports.handler = async () => {};"),
                                   handler="index.handler")
    for built in {id(a): a for a in (app, scope.get("app")) if isinstance(a, App)}.values():
        assert built.synth().stacks, "the example synthesizes at least one stack"
