using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Device.Crypto;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.T1.Se05x;
using nanoFramework.TestFramework;

namespace NanoAgent.Device.OnTarget
{
    /// <summary>The codecs and the chip's AES on the target itself: catches a runtime that differs from the host's.</summary>
    [TestClass]
    public class SelfCheckTests
    {
        /// <summary>CRC-16/X-25 check value: "123456789" gives 0x906E (protocol-facts.md, UM11225 §3.1.1.2).</summary>
        [TestMethod]
        public void Crc16X25_CheckValue()
        {
            byte[] digits = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual((ushort)0x906E, Crc16X25.Compute(digits, 0, digits.Length));
        }

        /// <summary>S(RESYNCH request) encodes as 5A C0 00 FF FC (UM11225; CRC low byte first).</summary>
        [TestMethod]
        public void Se05xFrame_ResynchRequest()
        {
            byte[] frame = new byte[8];
            int n = Se05xFrameCodec.Encode(frame, Se05xFrameCodec.NadHostToSe, Se05xFrameCodec.SBlockPcb(Se05xSBlockType.Resynch, false), null, 0, 0);
            byte[] expected = new byte[] { 0x5A, 0xC0, 0x00, 0xFF, 0xFC };
            Assert.AreEqual(expected.Length, n);
            for (int i = 0; i < n; i++)
            {
                Assert.AreEqual(expected[i], frame[i]);
            }
        }

        /// <summary>NIST SP 800-38B AES-128 CMAC example 2 on the chip's AES: 070A16B4 6B4D4144 F79BDD9D D04A287C.</summary>
        [TestMethod]
        public void AesCmac_NistVector()
        {
            byte[] key = new byte[] { 0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C };
            byte[] m = new byte[] { 0x6B, 0xC1, 0xBE, 0xE2, 0x2E, 0x40, 0x9F, 0x96, 0xE9, 0x3D, 0x7E, 0x11, 0x73, 0x93, 0x17, 0x2A };
            byte[] expected = new byte[] { 0x07, 0x0A, 0x16, 0xB4, 0x6B, 0x4D, 0x41, 0x44, 0xF7, 0x9B, 0xDD, 0x9D, 0xD0, 0x4A, 0x28, 0x7C };
            byte[] mac = new byte[16];
            new AesCmac(new NanoAesFactory().CreateAes(key, 0, key.Length)).Compute(m, 0, m.Length, mac, 0);
            for (int i = 0; i < 16; i++)
            {
                Assert.AreEqual(expected[i], mac[i]);
            }
        }

        /// <summary>FIPS-197 Appendix C.1 (AES-128) on the chip's AES: 69C4E0D8 6A7B0430 D8CDB780 70B4C55A.</summary>
        [TestMethod]
        public void NanoAes_Fips197Aes128Vector()
        {
            byte[] key = new byte[16];
            byte[] plain = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                key[i] = (byte)i;
                plain[i] = (byte)((i << 4) | i);
            }

            byte[] expected = new byte[] { 0x69, 0xC4, 0xE0, 0xD8, 0x6A, 0x7B, 0x04, 0x30, 0xD8, 0xCD, 0xB7, 0x80, 0x70, 0xB4, 0xC5, 0x5A };
            byte[] cipher = new byte[16];
            new NanoAesFactory().CreateAes(key, 0, 16).EncryptBlock(plain, 0, cipher, 0);
            for (int i = 0; i < 16; i++)
            {
                Assert.AreEqual(expected[i], cipher[i]);
            }
        }

        /// <summary>AES-256 keys are refused when the cipher is made, never at the first block (issue #14).</summary>
        [TestMethod]
        public void NanoAes_Aes256Key_RefusedAtConstruction()
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () => new NanoAesFactory().CreateAes(new byte[32], 0, 32));
        }
    }
}
