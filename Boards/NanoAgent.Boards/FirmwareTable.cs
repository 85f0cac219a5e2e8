namespace NanoAgent.Boards
{
    /// <summary>Renders what a board's firmware must contain for nanoAgent (storage drive, AES, native assemblies) as plain text.</summary>
    public static class FirmwareTable
    {
        private const string NewLine = "\n";

        /// <summary>Renders the requirements of <paramref name="board"/>.</summary>
        /// <param name="board">The board.</param>
        /// <returns>Lines separated by "\n".</returns>
        /// <exception cref="System.ArgumentNullException"><paramref name="board"/> is null.</exception>
        public static string Render(BoardDefinition board)
        {
            if (board == null)
            {
                throw new System.ArgumentNullException("board");
            }

            BoardFirmware firmware = board.Firmware;
            string text = "Firmware for " + board.Id + ": target " + board.NanoTarget + NewLine;
            text += "Storage: " + firmware.StorageRoot + " (configuration " + firmware.ConfigPath + ", relay store " + firmware.RelayStorePrefix + ".*). "
                + firmware.StorageNote + NewLine;
            text += "AES: native Aes runs AES-" + (firmware.MaxAesKeyLength * 8).ToString() + " only; longer platform keys are refused at boot." + NewLine;
            text += "Native assemblies the application needs (deployment refuses a firmware without them):" + NewLine;
            for (int i = 0; i < firmware.RequiredCount; i++)
            {
                NativeRequirement requirement = firmware.RequiredAt(i);
                text += "- " + requirement.Assembly + ": " + requirement.UsedFor + "; " + requirement.HowToGet + NewLine;
            }

            return text;
        }
    }
}
