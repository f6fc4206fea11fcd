package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.SecureFunctionProps;
import io.github.cdkbulwark.ServerlessDatabase;
import io.github.cdkbulwark.ServerlessDatabaseAlarmsProps;
import io.github.cdkbulwark.ServerlessDatabaseProps;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.rds.DatabaseCluster;

/**
 * ServerlessDatabase from Java: the builder with capacities (numbers with halves), Durations and the
 * alarm struct, a function in the database's VPC granted IAM authentication, a Data API grant, the
 * connections it exposes (IConnectable), and a value the builder rejects.
 */
class ServerlessDatabaseTest {
    private static ServerlessDatabase db;
    private static Grant connect;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Databases");
        db = new ServerlessDatabase(checked.stack, "Orders", ServerlessDatabaseProps.builder()
                .minCapacity(0.5)
                .maxCapacity(8.5)
                .readers(1)
                .enableDataApi(true)
                .backupRetention(Duration.days(10))
                .alarms(ServerlessDatabaseAlarmsProps.builder()
                        .databaseConnections(ThresholdAlarmOptions.builder().threshold(500).build())
                        .freeableMemory(ThresholdAlarmOptions.builder().enabled(false).build())
                        .build())
                .build());
        SecureFunction api = new SecureFunction(checked.stack, "Api", SecureFunctionProps.builder()
                .code(Code.fromInline("exports.handler = async () => ({});"))
                .handler("index.handler")
                .vpc(db.getVpc())
                .build());
        connect = db.grantConnect(api, "orders_app");
        db.grantDataApiAccess(Support.function(checked.stack, "Report"));
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesACompliantCluster() {
        template.hasResourceProperties("AWS::RDS::DBCluster", Map.of(
                "ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 8.5),
                "BackupRetentionPeriod", 10,
                "EnableHttpEndpoint", true));
        template.resourceCountIs("AWS::RDS::DBInstance", 2);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "DatabaseConnections", "Threshold", 500));
    }

    @Test
    void typesCrossTheBoundary() {
        assertTrue(db.getCluster() instanceof DatabaseCluster);
        assertTrue(db.getConnections() instanceof Connections);
        assertTrue(connect.getSuccess());
        assertTrue(db.getClusterEndpoint().getPort() != null);
        assertEquals("ServerlessDatabaseCapacity", db.metricCapacity().getMetricName());
        assertEquals(List.of("CpuUtilizationAlarm", "AcuUtilizationAlarm", "DatabaseConnectionsAlarm", "FreeLocalStorageAlarm"),
                db.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
    }

    @Test
    void aCapacityOffTheHalfStepsNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> new ServerlessDatabase(stack, "Bad",
                ServerlessDatabaseProps.builder().maxCapacity(4.2).build()));
        assertTrue(error.getMessage().contains("ServerlessDatabase 'Errors/Bad': maxCapacity is 4.2"), error.getMessage());
    }
}
