using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NanoAgent.Drivers.Device")]
[assembly: AssemblyDescription("nanoAgent portable drivers with nanoFramework I2C/SPI adapters")]
[assembly: AssemblyCompany("nanoAgent")]
[assembly: ComVisible(false)]
