using System;
using System.IO;
using System.IO.Ports;
using NanoAgent.Agent.Runtime;
using NanoAgent.Drivers.Jrcp;
#if NANOAGENT_ESP32
using nanoFramework.Hardware.Esp32;
#endif

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// The board link's serial port (<c>lab.port</c>) as a JRCP link, through nanoFramework.System.IO.Ports 1.1.139.
    /// API assumptions, read in nanoframework/System.IO.Ports at tag v1.1.139 (<c>System.IO.Ports/SerialPort.cs</c>, not run
    /// on a board by us): <c>new SerialPort(name, baudRate)</c> (8N1 by default), <c>Open()</c>; <c>ReadTimeout</c> in ms;
    /// <c>Read(byte[], int, int)</c> returns the bytes read and throws <see cref="TimeoutException"/> when none came in
    /// time; <c>Write(byte[], int, int)</c> honours <c>WriteTimeout</c>. On ESP32 the port's pins are routed first with
    /// <c>Configuration.SetPinFunction(pin, DeviceFunction.COMn_RX/TX)</c> (nanoFramework.Hardware.Esp32); COM1 is the
    /// debugger's (wire protocol) UART there, so the link uses COM2 or COM3 through a USB serial adapter. STM32 ports
    /// are routed by the firmware target.
    /// </summary>
    public sealed class SerialLabChannel : IJrcpChannel
    {
        private readonly SerialPort _port;

        /// <summary>Routes the pins (ESP32), opens the port.</summary>
        /// <param name="lab">The <c>lab.*</c> settings.</param>
        /// <exception cref="IOException">The port does not exist or cannot be opened.</exception>
        /// <exception cref="ArgumentException">The port is open already.</exception>
        public SerialLabChannel(LabLinkConfig lab)
        {
#if NANOAGENT_ESP32
            bool third = lab.Port == "COM3";
            if (lab.RxPin >= 0)
            {
                Configuration.SetPinFunction(lab.RxPin, third ? DeviceFunction.COM3_RX : DeviceFunction.COM2_RX);
            }

            if (lab.TxPin >= 0)
            {
                Configuration.SetPinFunction(lab.TxPin, third ? DeviceFunction.COM3_TX : DeviceFunction.COM2_TX);
            }
#endif
            // What NXP's VCOM client sets on its end (smComSerial_PCLinux.c: B115200, CS8, no parity, one stop bit), set
            // here rather than left to the library's defaults. No flow control: a board's TX/RX/GND wiring has no RTS/CTS
            // lines (NXP's client asks for CRTSCTS: docs/remote-test-tool.md, "NXP's VCOM client", says how the PC end copes).
            _port = new SerialPort(lab.Port, lab.Baud);
            _port.DataBits = 8;
            _port.Parity = Parity.None;
            _port.StopBits = StopBits.One;
            _port.Handshake = Handshake.None;
            _port.WriteTimeout = 2000;
            _port.Open();
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            try
            {
                _port.ReadTimeout = timeoutMs;
                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (Exception)
            {
                // No exception filter on the device: anything else (IOException, InvalidOperationException) is a broken port.
                return -1;
            }
        }

        /// <inheritdoc />
        public bool Write(byte[] buffer, int offset, int count)
        {
            try
            {
                _port.Write(buffer, offset, count);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
