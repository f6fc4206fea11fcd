"""ContainerService from Python: ``ServiceImage`` from an ECR repository (with ``EcrImageOptions`` as keyword
arguments) and from a registry (``RegistryImageOptions``), the ``ServiceEgress`` enum, the health-check structs,
the alarm struct, a dict of ``ecs.Secret``s, a list of writable paths, and errors as exceptions."""
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_certificatemanager as acm, aws_ecr as ecr, aws_ecs as ecs, aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from cdk_bulwark import (ContainerHealthCheckOptions, ContainerService, ContainerServiceAlarmsProps, ContainerServiceProps,
                         EcrImageOptions, RegistryImageOptions, ServiceEgress, ServiceImage, TargetHealthCheckOptions,
                         ThresholdAlarmOptions)

from conftest import checked_stack

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def built():
    b = checked_stack("Services")
    repository = ecr.Repository.from_repository_name(b.stack, "Images", "admin")
    secret = secretsmanager.Secret.from_secret_complete_arn(b.stack, "Db", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")
    b.service = ContainerService(
        b.stack, "Admin",
        image=ServiceImage.from_ecr_repository(repository, tag="1.4.2"),
        certificate=acm.Certificate.from_certificate_arn(b.stack, "Certificate", CERTIFICATE),
        egress=ServiceEgress.VPC_ENDPOINTS,
        secrets={"DB_PASSWORD": ecs.Secret.from_secrets_manager(secret, "password")},
        writable_paths=["/tmp"],
        container_health_check=ContainerHealthCheckOptions(command=["CMD", "/healthcheck"], retries=2),
        health_check=TargetHealthCheckOptions(path="/health", interval=cdk.Duration.seconds(10)),
        min_capacity=2, max_capacity=6,
        alarms=ContainerServiceAlarmsProps(cpu_utilization=ThresholdAlarmOptions(threshold=70)))
    b.app.synth()
    b.template = Template.from_stack(b.stack)
    return b


def test_synthesizes_a_service_behind_https_with_no_finding(built):
    """Synthesized with the STANDARD packs registered: a finding would have failed synthesis."""
    built.template.has_resource_properties("AWS::ECS::Service", {"LaunchType": "FARGATE", "EnableExecuteCommand": False})
    built.template.has_resource_properties("AWS::ElasticLoadBalancingV2::Listener", {"Port": 443, "Protocol": "HTTPS"})
    built.template.has_resource_properties("AWS::ECS::TaskDefinition", {"RuntimePlatform": {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}})
    built.template.resource_count_is("AWS::EC2::NatGateway", 0)
    assert built.service.url.startswith("https://")
    assert len(built.service.alarms) == 8


def test_structs_enums_and_factories_cross_the_boundary(built):
    image = ServiceImage.from_registry("nginx:1.27", credentials=None)
    assert image.image_name == "nginx:1.27"
    assert RegistryImageOptions().credentials is None
    assert EcrImageOptions(digest="sha256:" + "a" * 64).digest.startswith("sha256:")
    assert ServiceEgress.IPV6_ONLY.value == "IPV6_ONLY"
    assert ContainerServiceProps(image=image).image is image
    assert built.service.task_role is not None and built.service.execution_role is not None


def test_an_invalid_cpu_and_memory_pair_names_the_path_and_fargate_s_table():
    b = checked_stack("ServiceErrors")
    with pytest.raises(RuntimeError, match=re.escape(
            "ContainerService 'ServiceErrors/Bad': memory is 3 GiB; Fargate does not allow it with cpu 256 (the default)")):
        ContainerService(b.stack, "Bad", image=ServiceImage.from_registry("nginx:1.27"), memory=cdk.Size.gibibytes(3),
                         certificate=acm.Certificate.from_certificate_arn(b.stack, "Certificate", CERTIFICATE))
    with pytest.raises(RuntimeError, match="Fargate Spot runs only X86_64 tasks"):
        ContainerService(b.stack, "Spot", image=ServiceImage.from_registry("nginx:1.27"), fargate_spot_share=20)
