package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.PolicySettings.Autoscale;
import java.time.Duration;

/**
 * {@link PolicySettings} for tests: the defaults of shared/DESIGN.md, with only what a test is
 * about changed, e.g. {@code PolicySettingsBuilder.defaults().sloWindow(ofMinutes(1)).build()}.
 */
public final class PolicySettingsBuilder {
  private Duration interval;
  private Duration maxLagP95;
  private Long maxLagP95Messages;
  private double complianceTarget;
  private Duration sloWindow;
  private double maxGini;
  private Duration stuckWindow;
  private int minRebalanceScore;
  private Duration rebalanceWindow;
  private int maxRebalances;
  private Autoscale autoscale;
  private Duration recoveryTime;

  private PolicySettingsBuilder(PolicySettings from) {
    interval = from.interval();
    maxLagP95 = from.maxLagP95();
    maxLagP95Messages = from.maxLagP95Messages();
    complianceTarget = from.complianceTarget();
    sloWindow = from.sloWindow();
    maxGini = from.maxGini();
    stuckWindow = from.stuckWindow();
    minRebalanceScore = from.minRebalanceScore();
    rebalanceWindow = from.rebalanceWindow();
    maxRebalances = from.maxRebalances();
    autoscale = from.autoscale();
    recoveryTime = from.recoveryTime();
  }

  public static PolicySettingsBuilder defaults() {
    return new PolicySettingsBuilder(PolicySettings.defaults());
  }

  public PolicySettingsBuilder interval(Duration interval) {
    this.interval = interval;
    return this;
  }

  /** The SLO bound in time; clears a bound in messages. */
  public PolicySettingsBuilder maxLagP95(Duration maxLagP95) {
    this.maxLagP95 = maxLagP95;
    this.maxLagP95Messages = null;
    return this;
  }

  /** The SLO bound in messages; clears the bound in time. */
  public PolicySettingsBuilder maxLagP95Messages(long maxLagP95Messages) {
    this.maxLagP95Messages = maxLagP95Messages;
    this.maxLagP95 = null;
    return this;
  }

  public PolicySettingsBuilder sloWindow(Duration sloWindow) {
    this.sloWindow = sloWindow;
    return this;
  }

  public PolicySettingsBuilder stuckWindow(Duration stuckWindow) {
    this.stuckWindow = stuckWindow;
    return this;
  }

  public PolicySettingsBuilder rebalanceWindow(Duration rebalanceWindow) {
    this.rebalanceWindow = rebalanceWindow;
    return this;
  }

  public PolicySettingsBuilder autoscale(Autoscale autoscale) {
    this.autoscale = autoscale;
    return this;
  }

  public PolicySettingsBuilder recoveryTime(Duration recoveryTime) {
    this.recoveryTime = recoveryTime;
    return this;
  }

  public PolicySettings build() {
    return new PolicySettings(
        interval,
        maxLagP95,
        maxLagP95Messages,
        complianceTarget,
        sloWindow,
        maxGini,
        stuckWindow,
        minRebalanceScore,
        rebalanceWindow,
        maxRebalances,
        autoscale,
        recoveryTime);
  }
}
