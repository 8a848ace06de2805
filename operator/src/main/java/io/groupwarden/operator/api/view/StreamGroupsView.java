package io.groupwarden.operator.api.view;

import java.util.List;

/** One Redis stream and the groups that read it. */
public record StreamGroupsView(String stream, List<StreamSourceView> groups) {}
