package org.pvhconf.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvhconf.x86.fault.Fault;

/** Decoder forms and lengths from {@code decoder64.txt}, and the encodings 64-bit mode rejects. */
class DecoderTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                DecoderTest.class.getResourceAsStream("decoder64.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|");
                out.add(Arguments.of(f[3].trim(), f[0].trim(), f[1].trim(), Integer.parseInt(f[2].trim())));
            }
        }
        return out.stream();
    }

    static DecodedInsn decode(byte[] b) {
        return Decoder.decode(i -> i < b.length ? b[i] & 0xFF : 0x90);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decode_formAndLength(String source, String hex, String form, int length) {
        DecodedInsn d = decode(HexFormat.of().parseHex(hex));
        assertEquals(form, d.form.name, source);
        assertEquals(length, d.length, source);
    }

    @Test
    void decode_ripRelative_recordsDisplacement() {
        DecodedInsn d = decode(HexFormat.of().parseHex("488b0510000000")); // mov rax, [rip+0x10]
        assertTrue(d.ripRelative);
        assertEquals(0x10, d.disp);
    }

    @Test
    void decode_highByteRegisters_onlyWithoutRex() {
        assertEquals(DecodedInsn.AH, decode(new byte[] {(byte) 0x88, (byte) 0xE0}).reg); // mov al, ah
        assertEquals(4, decode(new byte[] {0x40, (byte) 0x88, (byte) 0xE0}).reg); // mov al, spl
    }

    @Test
    void decode_rexBeforeLegacyPrefix_isIgnored() {
        DecodedInsn d = decode(HexFormat.of().parseHex("486601c0")); // REX.W then 66: REX dropped
        assertEquals("ADD_RM16_R16", d.form.name);
    }

    /** Opcodes that 64-bit mode removed (PUSH ES, DAA, PUSHA, BOUND/EVEX, far CALL, VEX, INTO, AAM, far JMP) and bad LOCKs. */
    @ParameterizedTest(name = "#UD {0}")
    @ValueSource(strings = {"06", "07", "0e", "27", "37", "60", "61", "62c0", "9a00000000", "c4e27900", "ce", "d4",
        "ea00000000", "f001c0", "f0a4", "f08b00", "0f0f"})
    void decode_invalidIn64BitMode_raisesUd(String hex) {
        Fault f = assertThrows(Fault.class, () -> decode(HexFormat.of().parseHex(hex)));
        assertEquals(Fault.UD, f.vector);
    }

    @Test
    void decode_longerThan15Bytes_raisesGp() {
        byte[] b = HexFormat.of().parseHex("6666666666666666666666666666664801c0");
        Fault f = assertThrows(Fault.class, () -> decode(b));
        assertEquals(Fault.GP, f.vector);
    }

    @Test
    void decode_fetchFault_onlyForBytesTheInstructionHas() {
        DecodedInsn d = Decoder.decode(i -> {
            if (i > 0) {
                throw Fault.pf(0x1000, 0);
            }
            return 0xC3; // RET: one byte, so the next page is never touched
        });
        assertEquals("RET", d.form.name);
    }
}
