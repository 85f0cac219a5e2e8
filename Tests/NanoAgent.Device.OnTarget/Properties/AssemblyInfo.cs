using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NanoAgent.Device.OnTarget")]
[assembly: AssemblyDescription("nanoAgent on-target tests: wiring checks, an APDU round trip and codec self-checks on a real board")]
[assembly: AssemblyCompany("nanoAgent")]
[assembly: ComVisible(false)]
