package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.AgeAlarmOptions;
import io.github.cdkbulwark.OnDemandBillingOptions;
import io.github.cdkbulwark.ProvisionedBillingOptions;
import io.github.cdkbulwark.SecureTable;
import io.github.cdkbulwark.SecureTableAlarmsProps;
import io.github.cdkbulwark.StreamConsumerAlarmsProps;
import io.github.cdkbulwark.StreamConsumerOptions;
import io.github.cdkbulwark.TableBilling;
import io.github.cdkbulwark.TableBillingMode;
import io.github.cdkbulwark.TableCapacityOptions;
import io.github.cdkbulwark.TableIndexOptions;
import io.github.cdkbulwark.TableStreamConsumer;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.Grant;

/**
 * SecureTable from Java: TableBilling.provisioned with its ProvisionedBillingOptions and
 * TableCapacityOptions builders, TableBilling.onDemand with OnDemandBillingOptions, the TableBillingMode
 * enum, an index from the TableIndexOptions builder, the alarm struct, a grant to a SecureFunction, and a
 * value the builder's constructor rejects.
 */
class SecureTableTest {
    private static final Attribute ORDER_ID = Attribute.builder().name("orderId").type(AttributeType.STRING).build();

    private static SecureTable orders;
    private static TableBilling provisioned;
    private static TableBilling onDemand;
    private static Grant grant;
    private static TableStreamConsumer consumer;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Tables");
        provisioned = TableBilling.provisioned(ProvisionedBillingOptions.builder()
                .readCapacity(TableCapacityOptions.builder().maxCapacity(40).minCapacity(2).build())
                .writeCapacity(TableCapacityOptions.builder().maxCapacity(20).targetUtilizationPercent(60).build())
                .build());
        orders = SecureTable.Builder.create(checked.stack, "Orders")
                .partitionKey(ORDER_ID)
                .billing(provisioned)
                .alarms(SecureTableAlarmsProps.builder()
                        .consumedWriteCapacity(ThresholdAlarmOptions.builder().threshold(0.9).build())
                        .build())
                .build();
        orders.addGlobalSecondaryIndex(TableIndexOptions.builder()
                .indexName("byCustomer")
                .partitionKey(Attribute.builder().name("customerId").type(AttributeType.STRING).build())
                .build());
        onDemand = TableBilling.onDemand(OnDemandBillingOptions.builder().maxWriteRequestUnits(100).build());
        SecureTable.Builder.create(checked.stack, "Events").partitionKey(ORDER_ID).billing(onDemand).build();
        grant = orders.grantReadWriteData(Support.function(checked.stack, "Writer"));
        SecureTable changes = SecureTable.Builder.create(checked.stack, "Changes").partitionKey(ORDER_ID).stream(StreamViewType.NEW_IMAGE).build();
        consumer = changes.addStreamConsumer("Projector", Support.function(checked.stack, "Projector").getLambdaFunction(),
                StreamConsumerOptions.builder().batchSize(50)
                        .alarms(StreamConsumerAlarmsProps.builder().iteratorAge(AgeAlarmOptions.builder().maxAge(Duration.minutes(2)).build()).build())
                        .build());
        template = checked.synth();
    }

    @Test
    void aStreamConsumerHasItsMappingFailureQueueAndAlarms() {
        assertEquals(List.of("IteratorAgeAlarm", "FailureQueueAlarm", "DestinationDeliveryFailuresAlarm"),
                consumer.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
        assertTrue(consumer.getFailureQueue().getQueueArn() != null);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("BatchSize", 50, "BisectBatchOnFunctionError", true));
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesRecoverableTablesAndNoFinding() {
        template.resourcePropertiesCountIs("AWS::DynamoDB::Table", Map.of(
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "DeletionProtectionEnabled", true), 3);
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("OnDemandThroughput", Map.of("MaxWriteRequestUnits", 100)));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("GlobalSecondaryIndexes", List.of(
                Match.objectLike(Map.of("IndexName", "byCustomer")))));
    }

    @Test
    void theBillingChoiceAndAlarmsCrossTheBoundary() {
        assertEquals(TableBillingMode.PROVISIONED, provisioned.getMode());
        assertEquals(TableBillingMode.ON_DEMAND, onDemand.getMode());
        assertEquals(List.of("byCustomer"), orders.getGlobalSecondaryIndexes());
        assertTrue(orders.getTable() instanceof Table);
        // The table's four, then the index's three.
        assertEquals(List.of("ThrottledRequestsAlarm", "SystemErrorsAlarm", "ConsumedReadCapacityAlarm", "ConsumedWriteCapacityAlarm",
                "ThrottledRequestsAlarm", "ConsumedReadCapacityAlarm", "ConsumedWriteCapacityAlarm"),
                orders.getAlarms().stream().map(a -> a.getNode().getId()).collect(Collectors.toList()));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Threshold", 0.9, "EvaluationPeriods", 3));
        assertTrue(grant.getSuccess());
    }

    @Test
    void aTargetUtilizationOutOfRangeNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> SecureTable.Builder.create(stack, "Bad")
                .partitionKey(ORDER_ID)
                .billing(TableBilling.provisioned(ProvisionedBillingOptions.builder()
                        .readCapacity(TableCapacityOptions.builder().maxCapacity(5).targetUtilizationPercent(95).build())
                        .writeCapacity(TableCapacityOptions.builder().maxCapacity(5).build())
                        .build()))
                .build());
        assertTrue(error.getMessage().contains(
                "SecureTable 'Errors/Bad': billing.readCapacity.targetUtilizationPercent is 95; it must be an integer from 20 to 90"),
                error.getMessage());
    }
}
