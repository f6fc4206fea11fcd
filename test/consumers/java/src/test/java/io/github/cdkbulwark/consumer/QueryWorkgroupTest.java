package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.QueryColumn;
import io.github.cdkbulwark.QueryDataFormat;
import io.github.cdkbulwark.QueryTableOptions;
import io.github.cdkbulwark.QueryWorkgroup;
import io.github.cdkbulwark.QueryWorkgroupAlarmsProps;
import io.github.cdkbulwark.SecureBucket;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Grant;

/**
 * QueryWorkgroup from Java: the builder with a Size, a table from the QueryTableOptions builder with
 * QueryColumn builders in a list and the QueryDataFormat enum, grantQuery, and a value the builder rejects.
 */
class QueryWorkgroupTest {
    private static QueryWorkgroup reporting;
    private static Grant grant;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Queries");
        SecureBucket sales = new SecureBucket(checked.stack, "Sales");
        reporting = QueryWorkgroup.Builder.create(checked.stack, "Reporting")
                .databaseName("sales")
                .bytesScannedCutoffPerQuery(Size.gibibytes(1))
                .alarms(QueryWorkgroupAlarmsProps.builder().processedBytes(ThresholdAlarmOptions.builder().threshold(1e11).build()).build())
                .build();
        reporting.addTable("Orders", QueryTableOptions.builder()
                .bucket(sales)
                .prefix("orders/")
                .format(QueryDataFormat.CSV)
                .columns(List.of(QueryColumn.builder().name("order_id").dataType("string").build(),
                        QueryColumn.builder().name("total").dataType("double").build()))
                .build());
        grant = reporting.grantQuery(Support.function(checked.stack, "Report"));
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAnEnforcedWorkgroupAndATable() {
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("WorkGroupConfiguration",
                Match.objectLike(Map.of("EnforceWorkGroupConfiguration", true))));
        template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of("Name", "orders"))));
    }

    @Test
    void typesCrossTheBoundary() {
        assertEquals(List.of("orders"), reporting.getTableNames());
        assertTrue(grant.getSuccess());
        assertEquals(2, reporting.getAlarms().size());
    }

    @Test
    void aBadDatabaseNameNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> QueryWorkgroup.Builder.create(stack, "Bad").databaseName("Sales").build());
        assertTrue(error.getMessage().contains("QueryWorkgroup 'Errors/Bad': databaseName"), error.getMessage());
    }
}
