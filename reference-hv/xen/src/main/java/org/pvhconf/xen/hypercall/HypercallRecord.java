package org.pvhconf.xen.hypercall;

import java.util.Arrays;

import org.pvhconf.xen.abi.Errno;

/**
 * One hypercall as the trace shows it: who called (vCPU, RIP of the VMCALL), which call (the 32-bit
 * number from EAX, its name), the six argument registers and the value left in RAX.
 *
 * @param arity how many arguments the call takes, for printing only
 */
public record HypercallRecord(int vcpu, long rip, long nr, String name, long[] args, long result, int arity) {

    public HypercallRecord {
        args = args.clone();
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    /** {@code vcpu0 rip=0xffffffff80001000 memory_op(0x3, 0xffffffff80002000) = 0x800 }. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("vcpu").append(vcpu).append(" rip=0x").append(Long.toHexString(rip)).append(' ').append(name)
                .append('(');
        for (int i = 0; i < arity; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(args[i]));
        }
        sb.append(") = 0x").append(Long.toHexString(result));
        if (result < 0 && result >= -4095) {
            String n = Errno.name((int) -result);
            sb.append(" (-").append(n != null ? n : Long.toString(-result)).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HypercallRecord r && r.vcpu == vcpu && r.rip == rip && r.nr == nr
                && r.name.equals(name) && Arrays.equals(r.args, args) && r.result == result && r.arity == arity;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rip) * 31 + Arrays.hashCode(args) + Long.hashCode(result);
    }
}
