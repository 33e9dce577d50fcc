package org.pvhconf.xen.domain;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class XlConfigTest {

    @Test
    void parse_typicalPvhConfig() throws Exception {
        DomainConfig c = XlConfig.parse("""
                # a PVH guest
                name = "pvh1"
                kernel = '/boot/vmlinuz'   # quoted with single quotes
                memory = 64
                maxmem = 0x80
                vcpus = 2; pvh = 1
                extra = "console=hvc0"
                on_poweroff = "destroy"
                disk = [ 'phy:/dev/vg/pvh1,xvda,w',
                         'file:/tmp/x,xvdb,r', ]
                """, "pvh1.cfg");
        assertEquals("pvh1", c.name());
        assertEquals("/boot/vmlinuz", c.kernelPath());
        assertEquals(64, c.memoryMiB());
        assertEquals(128, c.maxmemMiB());
        assertEquals(2, c.vcpus());
        assertTrue(c.pvh());
        assertNull(c.hap());
        assertEquals("console=hvc0", c.cmdline());
        assertEquals(2, c.warnings().size());
        assertTrue(c.warnings().get(0).startsWith("pvh1.cfg:8: on_poweroff"), c.warnings().get(0));
    }

    @Test
    void parse_noPvhKey_isPvAsInXl() throws Exception {
        assertFalse(XlConfig.parse("memory = 32\n", "x.cfg").pvh());
    }

    @Test
    void parse_rootAndExtra_combinedAsXlDoes() throws Exception {
        assertEquals("root=/dev/xvda1 ro", XlConfig.parse("root = \"/dev/xvda1\"\nextra = \"ro\"\n", "c").cmdline());
        assertEquals("quiet", XlConfig.parse("root = \"/dev/xvda1\"\ncmdline = \"quiet\"\n", "c").cmdline());
    }

    @Test
    void parse_syntaxError_namesLineAndText() {
        ConfigRefusedException e = assertThrows(ConfigRefusedException.class,
                () -> XlConfig.parse("name = \"a\"\nmemory 64\n", "bad.cfg"));
        assertEquals("config-syntax", e.rule());
        assertTrue(e.getMessage().contains("bad.cfg:2") && e.getMessage().contains("memory 64"), e.getMessage());
    }

    @Test
    void parse_unterminatedString_refused() {
        ConfigRefusedException e = assertThrows(ConfigRefusedException.class,
                () -> XlConfig.parse("name = \"abc\n", "u.cfg"));
        assertTrue(e.getMessage().contains("u.cfg:1") && e.getMessage().contains("unterminated"), e.getMessage());
    }

    @Test
    void parse_wrongType_refusedNamingKey() {
        ConfigRefusedException e = assertThrows(ConfigRefusedException.class,
                () -> XlConfig.parse("memory = \"lots\"\n", "t.cfg"));
        assertEquals("config-type", e.rule());
        assertTrue(e.getMessage().contains("t.cfg:1: memory"), e.getMessage());
    }

    @Test
    void parse_hvmBuilder_refused() {
        assertEquals("config-builder", assertThrows(ConfigRefusedException.class,
                () -> XlConfig.parse("builder = \"hvm\"\n", "h.cfg")).rule());
    }
}
