package org.pvhconf.conform;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** The conformance run: every feature under the top-level features/ folder, through Failsafe. */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("features")
public class RunCucumberIT {
}
