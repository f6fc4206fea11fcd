"""Mistakes a Python user makes, and the errors they get.

Wrong keywords and wrong types are caught by the generated bindings (jsii's runtime type checks)
before anything reaches the library; values the library rejects come back from the jsii runtime
as a RuntimeError that carries the library's message: construct, path, prop, value, what is allowed.
"""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import Duration

from cdk_bulwark import ComplianceChecks, CompliancePolicy, Monitoring, QueueWorker, SecureFunction, SecureFunctionProps

from conftest import inline_code, stack_in


@pytest.fixture
def stack():
    """A fresh stack per test: a constructor that raises leaves a half-built construct behind."""
    return stack_in(cdk.App(), "Errors")


def handler_props():
    return SecureFunctionProps(code=inline_code(), handler="index.handler")


# --- Caught by the bindings (Python TypeError) -----------------------------------------------

def test_wrong_keyword(stack):
    with pytest.raises(TypeError, match=re.escape("QueueWorker.__init__() got an unexpected keyword argument 'batch_sise'")):
        QueueWorker(stack, "W", batch_sise=5, handler_props=handler_props())


def test_wrong_keyword_in_a_props_dict(stack):
    with pytest.raises(TypeError, match=re.escape("SecureFunctionProps.__init__() got an unexpected keyword argument 'memory'")):
        QueueWorker(stack, "W", handler_props={"code": inline_code(), "handler": "index.handler", "memory": 1024})


def test_missing_required_struct_field(stack):
    with pytest.raises(TypeError, match=re.escape("SecureFunctionProps.__init__() missing 1 required keyword-only argument: 'handler'")):
        QueueWorker(stack, "W", handler_props={"code": inline_code()})


def test_wrong_type(stack):
    with pytest.raises(TypeError, match=re.escape("type of argument batch_size must be one of (int, float, NoneType); got str instead")):
        QueueWorker(stack, "W", batch_size="ten", handler_props=handler_props())


def test_number_where_a_duration_is_expected(stack):
    with pytest.raises(TypeError, match=re.escape("type of argument timeout must be one of (aws_cdk.Duration, NoneType); got int instead")):
        SecureFunction(stack, "F", code=inline_code(), handler="index.handler", timeout=30)


def test_string_where_an_enum_is_expected(stack):
    with pytest.raises(TypeError, match=re.escape(
            "type of argument compliance_profile must be one of (cdk_bulwark.ComplianceProfile, NoneType); got str instead")):
        QueueWorker(stack, "W", compliance_profile="REGULATED", handler_props=handler_props())
    with pytest.raises(TypeError, match=re.escape("type of argument profile must be cdk_bulwark.ComplianceProfile; got str instead")):
        CompliancePolicy.set_default_profile(stack, "REGULATED")
    with pytest.raises(TypeError, match="type of argument profile must be cdk_bulwark.ComplianceProfile"):
        ComplianceChecks.packs_for("STANDARD")


# --- Rejected by the library (RuntimeError with the library's message) -----------------------

def test_library_validation_error(stack):
    with pytest.raises(RuntimeError) as error:
        QueueWorker(stack, "W", batch_size=0, handler_props=handler_props())
    message = str(error.value)
    assert "QueueWorker" in message
    assert "batchSize is 0" in message
    assert message == "QueueWorker 'Errors/W': batchSize is 0; it must be an integer from 1 to 10000"


def test_visibility_timeout_too_short(stack):
    with pytest.raises(RuntimeError, match=re.escape(
            "QueueWorker 'Errors/W': visibilityTimeout is 30 seconds; with a 60 s handler timeout and no batching "
            "window it must be at least 360 seconds (6 x timeout + window)")):
        QueueWorker(stack, "W", visibility_timeout=Duration.seconds(30),
                    handler_props=SecureFunctionProps(code=inline_code(), handler="index.handler", timeout=Duration.seconds(60)))


def test_handler_is_required(stack):
    with pytest.raises(RuntimeError, match=re.escape("QueueWorker 'Errors/W': a handler is required")):
        QueueWorker(stack, "W")


def test_fractional_batch_size(stack):
    with pytest.raises(RuntimeError, match=re.escape("QueueWorker 'Errors/W': batchSize is 2.5; it must be an integer")):
        QueueWorker(stack, "W", batch_size=2.5, handler_props=handler_props())


def test_invalid_email_address(stack):
    with pytest.raises(RuntimeError, match=re.escape("Monitoring 'Errors/M': email address is 'oncall'; it must look like name@example.com")):
        Monitoring(stack, "M", email_addresses=["oncall"])
