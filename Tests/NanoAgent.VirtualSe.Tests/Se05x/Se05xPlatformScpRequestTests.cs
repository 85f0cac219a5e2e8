namespace NanoAgent.VirtualSe.Tests.Se05x;

public class Se05xPlatformScpRequestTests
{
    [Fact]
    public void SetPlatformScpRequest_OnlyInThePlatformScpSession_PersistsAndRefusesPlainCommands()
    {
        // AN12413 SetPlatformSCPRequest (80 04 00 52, TLV[TAG_1] 01 required): "can only be used in a session that used the
        // credential with identifier RESERVED_ID_PLATFORM_SCP"; then "any applet APDU command will be refused by the applet
        // when platform SCP is not enabled".
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var rig = new Se05xRig(path: Path.Combine(dir, "se.se05x.json"));
            byte[] userId = "PLATSCP1"u8.ToArray();
            rig.Run(new NanoAgent.Drivers.Se05x.Se05xAuthObjectCommands().WriteUserId(0x7FFF0207, userId, 0, 8, 0, null!, 0, 0, rig.Buffer, 0));
            Assert.Equal(0x6985, rig.Send("800400520341 0101".Replace(" ", string.Empty)).Sw);

            var session = new NanoAgent.Drivers.Se05x.Se05xAppletSession(new Se05xCardTransport(() => rig.Card), 892);
            session.Open(0x7FFF0207);
            session.VerifyUserId(userId, 0, 8);
            byte[] request = Hex.Parse("8004005203410101");
            var answer = new byte[16];
            int n = session.Transceive(request, 0, request.Length, answer, 0);
            Assert.Equal("9000", Hex.Of(answer, 0, n));

            Assert.Equal(0x6982, rig.Send("8004002000").Sw);
            rig.Reboot();
            Assert.True(rig.Card.PlatformScpRequired);
            Assert.Equal(0x6982, rig.Send("8004002000").Sw);
            Assert.Equal(0x9000, rig.Select().Sw); // SELECT still answers
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
