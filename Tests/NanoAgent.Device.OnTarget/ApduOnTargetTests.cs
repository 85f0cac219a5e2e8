using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;
using nanoFramework.TestFramework;

namespace NanoAgent.Device.OnTarget
{
    /// <summary>One APDU round trip through the block protocol to the real SE.</summary>
    [TestClass]
    public class ApduOnTargetTests
    {
        /// <summary>
        /// SELECT with an empty AID (GPC §11.9: selects the ISD) comes back with a status word: '9000', '6A82' (ISD not
        /// selectable this way), or '6982' (the SE insists on platform SCP03 first). Anything else, or no answer, fails.
        /// </summary>
        [TestMethod]
        public void SelectIsd_ComesBackWithAValidStatusWord()
        {
            ISeTransport transport = OnTargetBoard.Protocol().Create(OnTargetBoard.Link, SystemClock.Instance);
            try
            {
                transport.Open();
                byte[] select = new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x00 };
                byte[] response = new byte[300];
                int n = transport.Transceive(select, 0, select.Length, response, 0);

                Assert.IsTrue(n >= 2, "the response has no status word");
                ushort sw = StatusWord.Read(response, 0, n);
                Assert.IsTrue(sw == 0x9000 || sw == 0x6A82 || sw == 0x6982, "unexpected SW " + sw.ToString("X4"));
                transport.Close();
            }
            finally
            {
                transport.Dispose();
            }
        }
    }
}
