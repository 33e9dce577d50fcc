package org.pvhconf.xen.domain;

/**
 * Where the builder put things (§6, §7.1). Virtual addresses unless named gpa/gfn; -1 when absent.
 */
public record BuildInfo(long virtBase, long virtKstart, long virtKend, long entry, long startInfoVa,
                        long startInfoGpa, long sharedInfoGpa, long ptBaseVa, long nrPtFrames, long mfnListVa,
                        long bootStackTopVa, long hypercallPageVa, long nrPages, long virtPgtabEnd,
                        long storeGfn, int storeEvtchn, long consoleGfn, int consoleEvtchn,
                        int featuresSupported, int featuresRequired) {
}
