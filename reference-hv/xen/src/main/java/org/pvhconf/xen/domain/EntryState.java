package org.pvhconf.xen.domain;

import org.pvhconf.x86.cpu.Cpu;
import org.pvhconf.x86.cpu.SegReg;
import org.pvhconf.xen.abi.BootState;

/**
 * The PVHv1 VMCS defaults every vCPU starts from (§7.1, §8.3): flat 64-bit CS, flat data segments,
 * selectors 0, GDTR/IDTR 0, LDTR/TR as construct_vmcs leaves them, CR0/CR4/EFER/PAT/DR7.
 */
public final class EntryState {
    private EntryState() {
    }

    public static void vmcsDefaults(Cpu c) {
        c.segment(SegReg.CS).set(0, 0, BootState.SEG_LIMIT, BootState.CS_AR);
        for (SegReg s : new SegReg[] {SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            c.segment(s).set(0, 0, BootState.SEG_LIMIT, BootState.DATA_AR);
        }
        c.segment(SegReg.LDTR).set(0, 0, 0, BootState.LDTR_AR);
        c.segment(SegReg.TR).set(0, 0, BootState.TR_LIMIT, BootState.TR_AR);
        c.gdtrBase = 0;
        c.gdtrLimit = 0;
        c.idtrBase = 0;
        c.idtrLimit = 0;
        c.cr0 = BootState.CR0;
        c.cr4 = BootState.CR4;
        c.efer = BootState.EFER_4_4; // the only profile; 4.5 would give 0x500
        c.pat = BootState.PAT;
        c.dr[7] = BootState.DR7;
        c.kernelGsBase = 0;
    }
}
