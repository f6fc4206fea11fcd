"""Mistakes a Python user makes, and the exceptions they get.

Wrong keywords and types are caught by the generated bindings (TypeError) before anything reaches the
library; values the library rejects come back through the jsii runtime as a RuntimeError that carries
the library's message: construct, path, prop, value and what is allowed.
"""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events

from cdk_bulwark import EventHub, HubTarget, QueueWorker, SecureFunctionProps

from conftest import function, inline_code, stack_in


@pytest.fixture
def stack():
    """A fresh stack per test: a constructor that raises leaves a half-built construct behind."""
    return stack_in(cdk.App(), "Errors")


def test_a_wrong_keyword_or_type_is_a_type_error(stack):
    with pytest.raises(TypeError, match=re.escape("QueueWorker.__init__() got an unexpected keyword argument 'batch_sise'")):
        QueueWorker(stack, "W", batch_sise=5, handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"))
    with pytest.raises(TypeError, match=re.escape("SecureFunctionProps.__init__() missing 1 required keyword-only argument: 'handler'")):
        QueueWorker(stack, "W", handler_props={"code": inline_code()})
    with pytest.raises(TypeError, match=re.escape(
            "type of argument compliance_profile must be one of (cdk_bulwark.ComplianceProfile, NoneType); got str instead")):
        QueueWorker(stack, "W", compliance_profile="REGULATED")


def test_a_value_the_constructor_rejects_names_the_path_and_the_prop(stack):
    with pytest.raises(RuntimeError) as error:
        QueueWorker(stack, "W", batch_size=0, handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler"))
    assert str(error.value) == "QueueWorker 'Errors/W': batchSize is 0; it must be an integer from 1 to 10000"


def test_a_value_a_method_rejects_names_the_path_and_the_prop(stack):
    hub = EventHub(stack, "Hub")
    with pytest.raises(RuntimeError, match=re.escape("EventHub 'Errors/Hub': route 'All' eventPattern is {};")):
        hub.add_route("All", event_pattern=events.EventPattern(), targets=[HubTarget.lambda_function(function(stack, "Fn").lambda_function)])
    assert hub.routes == []
