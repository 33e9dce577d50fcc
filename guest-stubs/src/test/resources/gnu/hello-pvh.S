/*
 * hello-pvh.S: a PVHv1 guest kernel built with the GNU toolchain alone (pvh-abi.md §1.3, §5, §7.1).
 * It writes one line with console_io(CONSOLEIO_write) and powers off with
 * sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff}), both through the hypercall page that Xen fills.
 *
 * Entered in 64-bit mode with paging on at the ENTRY note's address, RSI = start_info (unused here),
 * RSP = top of the builder's boot stack. Build: make (as --64, then ld -T hello-pvh.ld).
 */

/*
 * XEN_NOTE type, kind, value: one ELF note owned by "Xen" in section .note.Xen (§5.1).
 * kind "string" writes value NUL-terminated; kind "quad" writes it as a little-endian u64.
 */
.macro XEN_NOTE type, kind, value
        .pushsection .note.Xen, "a", @note
        .balign 4
        .long   .Lname_end\@ - .Lname\@         /* namesz, including the NUL */
        .long   .Ldesc_end\@ - .Ldesc\@         /* descsz */
        .long   \type
.Lname\@:
        .asciz  "Xen"
.Lname_end\@:
        .balign 4
.Ldesc\@:
        .ifc    \kind, string
        .asciz  "\value"
        .else
        .quad   \value
        .endif
.Ldesc_end\@:
        .balign 4
        .popsection
.endm

        .set    VIRT_BASE, 0xffffffff80000000
        .set    HYPERCALL_console_io, 18
        .set    HYPERCALL_sched_op, 29
        .set    CONSOLEIO_write, 0
        .set    SCHEDOP_shutdown, 2
        .set    SHUTDOWN_poweroff, 0

        XEN_NOTE 6,  string, "linux"                    /* GUEST_OS */
        XEN_NOTE 5,  string, "xen-3.0"                  /* XEN_VERSION */
        XEN_NOTE 3,  quad,   VIRT_BASE                  /* VIRT_BASE */
        XEN_NOTE 4,  quad,   0                          /* PADDR_OFFSET */
        XEN_NOTE 1,  quad,   _start                     /* ENTRY */
        XEN_NOTE 2,  quad,   hypercall_page             /* HYPERCALL_PAGE */
        XEN_NOTE 10, string, "!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel|hvm_callback_vector"
        XEN_NOTE 8,  string, "generic"                  /* LOADER */

        .text
        .globl  _start
_start:
        movl    $CONSOLEIO_write, %edi
        movl    $(message_end - message), %esi
        leaq    message(%rip), %rdx
        call    hypercall_page + HYPERCALL_console_io * 32

        movl    $SCHEDOP_shutdown, %edi
        leaq    shutdown_reason(%rip), %rsi
        call    hypercall_page + HYPERCALL_sched_op * 32

        /* Shutdown does not return; if it does, spin where a debugger will see it. */
stuck:
        pause
        jmp     stuck

        .balign 4
shutdown_reason:
        .long   SHUTDOWN_poweroff
        .globl  message
message:
        .ascii  "Hello from a GNU-built PVH kernel\n"
message_end:

        /* Xen fills this page (§1.3); int3 until then, so an unfilled page traps. */
        .balign 4096
        .globl  hypercall_page
hypercall_page:
        .fill   4096, 1, 0xcc
