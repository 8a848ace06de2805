package io.groupwarden.operator.api.view;

import java.util.List;

/** {@code GET /api/v1/lagmonitors}: every LagMonitor. */
public record LagMonitorsView(List<LagMonitorView> lagmonitors) {}
