-- nanoagent.lua: Wireshark dissectors for the captures `nanoagent ... --trace-file x.pcap` writes.
--
--   x.frames.pcap  LINKTYPE_USER0 (147): the raw block-protocol frames as they crossed the bus: NXP SE05x T=1 over I2C
--                  (UM11225) or GlobalPlatform T=1' (GPC_SPE_172, over I2C or SPI). Shown: NAD, PCB as I/R/S block with
--                  its sequence bits and S-block type, LEN, INF, the CRC checked, and each APDU once its last I-block
--                  is in.
--   x.pcap         LINKTYPE_USER1 (148): each command and response APDU (ISO/IEC 7816-4), put together from the
--                  I-blocks. Shown: ISO, GlobalPlatform and SE05x instruction names, P1/P2 meanings, the logical
--                  channel, SCP03 secure messaging (C-MAC, R-MAC, encrypted data), SE05x TLVs, the status word's
--                  meaning, and which response answers which command.
--
-- Pseudo-header, byte 0 in both files: bit 0 the direction (0 host->SE, 1 SE->host); bits 1-3 zero; bits 4-7 the
-- protocol: 0 not recorded (captures written before nanoAgent recorded it: guessed from the NAD), 1 SE05x T=1oI2C,
-- 2 GP T=1' over I2C, 3 GP T=1' over SPI. Byte 1, APDU file only: how many I-blocks carried the APDU.
-- (Agent/NanoAgent.Host/Diag/PcapCapture.cs writes both.)
--
-- Load it:  wireshark -X lua_script:nanoagent.lua x.pcap     (tshark takes the same option)
-- or copy it into the personal Lua plugins folder (Help > About Wireshark > Folders > Personal Lua Plugins).
-- It takes over the USER0 and USER1 link types from Wireshark's DLT_USER table.

local band, bor, bxor, rshift, lshift = bit.band, bit.bor, bit.bxor, bit.rshift, bit.lshift

---------------------------------------------------------------------------------------------------------------------
-- Shared words
---------------------------------------------------------------------------------------------------------------------

local PROTO_UNKNOWN, PROTO_SE05X, PROTO_GP_I2C, PROTO_GP_SPI = 0, 1, 2, 3
local PROTOCOL_NAMES = {
    [PROTO_UNKNOWN] = "not recorded (guessed from the NAD)",
    [PROTO_SE05X] = "NXP SE05x T=1 over I2C",
    [PROTO_GP_I2C] = "GlobalPlatform T=1' over I2C",
    [PROTO_GP_SPI] = "GlobalPlatform T=1' over SPI",
}
local DIRECTIONS = { [0] = "host -> SE", [1] = "SE -> host" }
local ARROWS = { [0] = "host\226\134\146SE", [1] = "SE\226\134\146host" }

local function decimal(n) return string.format("%d", n) end

-- CRC-16/X-25 (reflected polynomial 0x8408, initial 0xFFFF, final xor 0xFFFF): UM11225 and GPC_SPE_172 §4.1.
local function crc16_x25(bytes, offset, length)
    local crc = 0xFFFF
    for i = offset, offset + length - 1 do
        crc = bxor(crc, bytes:get_index(i))
        for _ = 1, 8 do
            if band(crc, 1) ~= 0 then crc = bxor(rshift(crc, 1), 0x8408) else crc = rshift(crc, 1) end
        end
    end
    return band(bxor(crc, 0xFFFF), 0xFFFF)
end

---------------------------------------------------------------------------------------------------------------------
-- Status words: the same words as Drivers/NanoAgent.Drivers/Apdu/StatusWordText.cs (ISO/IEC 7816-4 §5.6, GPC §11)
---------------------------------------------------------------------------------------------------------------------

local SW_EXACT = {
    [0x9000] = "success",
    [0x6200] = "warning, no information given, memory unchanged",
    [0x6281] = "part of returned data may be corrupted",
    [0x6282] = "end of file or record reached before reading Ne bytes",
    [0x6283] = "selected file deactivated (GP: card locked)",
    [0x6284] = "file control information not formatted per \194\1675.3.3",
    [0x6285] = "selected file in termination state",
    [0x6286] = "no input data available from a sensor on the card",
    [0x6300] = "warning, no information given, memory changed (GP: host cryptogram rejected)",
    [0x6310] = "more data available (GP GET STATUS)",
    [0x6381] = "file filled up by the last write",
    [0x6400] = "execution error, memory unchanged",
    [0x6401] = "immediate response required by the card",
    [0x6500] = "execution error, memory changed",
    [0x6581] = "memory failure",
    [0x6600] = "security-related issue",
    [0x6700] = "wrong length",
    [0x6800] = "function in CLA not supported",
    [0x6881] = "logical channel not supported",
    [0x6882] = "secure messaging not supported",
    [0x6883] = "last command of the chain expected",
    [0x6884] = "command chaining not supported",
    [0x6900] = "command not allowed",
    [0x6981] = "command incompatible with file structure",
    [0x6982] = "security status not satisfied",
    [0x6983] = "authentication method blocked",
    [0x6984] = "reference data not usable",
    [0x6985] = "conditions of use not satisfied",
    [0x6986] = "command not allowed, no current EF",
    [0x6987] = "expected secure messaging data objects missing",
    [0x6988] = "incorrect secure messaging data objects",
    [0x6A00] = "wrong parameters P1-P2",
    [0x6A80] = "incorrect parameters in the command data field",
    [0x6A81] = "function not supported",
    [0x6A82] = "file or application not found",
    [0x6A83] = "record not found",
    [0x6A84] = "not enough memory space",
    [0x6A85] = "Nc inconsistent with TLV structure",
    [0x6A86] = "incorrect parameters P1-P2",
    [0x6A87] = "Nc inconsistent with parameters P1-P2",
    [0x6A88] = "referenced data or reference data not found",
    [0x6A89] = "file already exists",
    [0x6A8A] = "DF name already exists",
    [0x6B00] = "wrong parameters P1-P2, offset outside the EF",
    [0x6D00] = "instruction code not supported or invalid",
    [0x6E00] = "class not supported",
    [0x6F00] = "no precise diagnosis",
}

local SW1_CLASS = {
    [0x65] = "execution error, memory changed",
    [0x66] = "security-related issue",
    [0x67] = "wrong length",
    [0x68] = "function in CLA not supported",
    [0x69] = "command not allowed",
    [0x6A] = "wrong parameters",
    [0x6B] = "wrong parameters P1-P2",
    [0x6D] = "instruction code not supported or invalid",
    [0x6E] = "class not supported",
    [0x6F] = "no precise diagnosis",
    [0x90] = "success with proprietary qualifier",
}

local function sw_meaning(sw)
    local exact = SW_EXACT[sw]
    if exact then return exact end
    local sw1, sw2 = rshift(sw, 8), band(sw, 0xFF)
    local announced = sw2 == 0 and 256 or sw2
    if sw1 == 0x61 then return decimal(announced) .. " more bytes available (GET RESPONSE)" end
    if sw1 == 0x6C then return "wrong Le, exact length is " .. decimal(announced) end
    if sw1 == 0x62 then
        return (sw2 >= 0x02 and sw2 <= 0x80) and "warning, card asks for a query (triggering)" or "warning, memory unchanged"
    end
    if sw1 == 0x63 then
        if band(sw2, 0xF0) == 0xC0 then
            local x = band(sw2, 0x0F)
            return "verification failed, " .. decimal(x) .. (x == 1 and " try left" or " tries left")
        end
        return "warning, memory changed"
    end
    if sw1 == 0x64 then
        return (sw2 >= 0x02 and sw2 <= 0x80) and "execution error, card asks for a query (triggering)" or "execution error, memory unchanged"
    end
    return SW1_CLASS[sw1] or "unknown status word"
end

local function sw_is_success(sw)
    local sw1 = rshift(sw, 8)
    return sw1 == 0x90 or sw1 == 0x61
end

local function sw_is_warning(sw)
    local sw1 = rshift(sw, 8)
    return sw1 == 0x62 or sw1 == 0x63
end

---------------------------------------------------------------------------------------------------------------------
-- Instructions: ISO/IEC 7816-4 §5.1 Table 4 (interindustry class), GPC Card Specification v2.3.1 §11 (proprietary
-- class), NXP SE05x IoT applet (AN12413 §4.3; names after NXP's se05x_enums.h)
---------------------------------------------------------------------------------------------------------------------

local ISO_INS = {
    [0x04] = "DEACTIVATE FILE", [0x0C] = "ERASE RECORD", [0x0E] = "ERASE BINARY", [0x0F] = "ERASE BINARY",
    [0x10] = "PERFORM SCQL OPERATION", [0x12] = "PERFORM TRANSACTION OPERATION", [0x14] = "PERFORM USER OPERATION",
    [0x20] = "VERIFY", [0x21] = "VERIFY", [0x22] = "MANAGE SECURITY ENVIRONMENT", [0x24] = "CHANGE REFERENCE DATA",
    [0x26] = "DISABLE VERIFICATION REQUIREMENT", [0x28] = "ENABLE VERIFICATION REQUIREMENT",
    [0x2A] = "PERFORM SECURITY OPERATION", [0x2C] = "RESET RETRY COUNTER", [0x44] = "ACTIVATE FILE",
    [0x46] = "GENERATE ASYMMETRIC KEY PAIR", [0x70] = "MANAGE CHANNEL", [0x82] = "EXTERNAL AUTHENTICATE",
    [0x84] = "GET CHALLENGE", [0x86] = "GENERAL AUTHENTICATE", [0x87] = "GENERAL AUTHENTICATE",
    [0x88] = "INTERNAL AUTHENTICATE", [0xA0] = "SEARCH BINARY", [0xA1] = "SEARCH BINARY", [0xA2] = "SEARCH RECORD",
    [0xA4] = "SELECT", [0xB0] = "READ BINARY", [0xB1] = "READ BINARY", [0xB2] = "READ RECORD", [0xB3] = "READ RECORD",
    [0xC0] = "GET RESPONSE", [0xC2] = "ENVELOPE", [0xC3] = "ENVELOPE", [0xCA] = "GET DATA", [0xCB] = "GET DATA",
    [0xD0] = "WRITE BINARY", [0xD1] = "WRITE BINARY", [0xD2] = "WRITE RECORD", [0xD6] = "UPDATE BINARY",
    [0xD7] = "UPDATE BINARY", [0xDA] = "PUT DATA", [0xDB] = "PUT DATA", [0xDC] = "UPDATE RECORD",
    [0xDD] = "UPDATE RECORD", [0xE0] = "CREATE FILE", [0xE2] = "APPEND RECORD", [0xE4] = "DELETE FILE",
    [0xE6] = "TERMINATE DF", [0xE8] = "TERMINATE EF", [0xFE] = "TERMINATE CARD USAGE",
}

local GP_INS = {
    [0xE4] = "DELETE", [0xCA] = "GET DATA", [0xCB] = "GET DATA", [0xF2] = "GET STATUS", [0xE6] = "INSTALL",
    [0xE8] = "LOAD", [0x70] = "MANAGE CHANNEL", [0xD8] = "PUT KEY", [0xA4] = "SELECT", [0xF0] = "SET STATUS",
    [0xE2] = "STORE DATA", [0x50] = "INITIALIZE UPDATE", [0x82] = "EXTERNAL AUTHENTICATE",
    [0x7A] = "BEGIN R-MAC SESSION", [0x78] = "END R-MAC SESSION", [0x88] = "INTERNAL AUTHENTICATE",
    [0x2A] = "PERFORM SECURITY OPERATION", [0xC0] = "GET RESPONSE",
}

-- SE05x: the low five bits are the instruction, the top three flags (kSE05x_INS_TRANSIENT 0x80, kSE05x_INS_AUTH_OBJECT
-- 0x40, kSE05x_INS_ATTEST 0x20). Only these combinations exist, so none collides with a GP instruction.
local SE05X_INS = {
    [0x01] = "WRITE", [0x81] = "WRITE transient", [0x41] = "WRITE auth object", [0xC1] = "WRITE transient auth object",
    [0x02] = "READ", [0x22] = "READ attested", [0x03] = "CRYPTO", [0x23] = "CRYPTO attested", [0x04] = "MGMT",
    [0x05] = "PROCESS",
}

local SE05X_P1_TYPE = {
    [0x00] = "default", [0x01] = "EC", [0x02] = "RSA", [0x03] = "AES", [0x04] = "DES", [0x05] = "HMAC",
    [0x06] = "binary", [0x07] = "UserID", [0x08] = "counter", [0x09] = "PCR", [0x0B] = "curve", [0x0C] = "signature",
    [0x0D] = "MAC", [0x0E] = "cipher", [0x0F] = "TLS", [0x10] = "crypto object",
}
local SE05X_P1_PART = { [0x60] = "key pair", [0x40] = "private key", [0x20] = "public key" }

local SE05X_P2 = {
    [0x00] = "DEFAULT", [0x03] = "GENERATE", [0x04] = "CREATE", [0x07] = "SIZE", [0x09] = "SIGN", [0x0A] = "VERIFY",
    [0x0B] = "INIT", [0x0C] = "UPDATE", [0x0D] = "FINAL", [0x0E] = "ONESHOT", [0x0F] = "DH", [0x10] = "DIVERSIFY",
    [0x11] = "AUTH_PART1", [0x12] = "AUTH_FIRST_PART2", [0x13] = "AUTH_NONFIRST_PART2", [0x14] = "DUMP_KEY",
    [0x15] = "CHANGE_KEY_PART1", [0x16] = "CHANGE_KEY_PART2", [0x17] = "KILL_AUTH", [0x18] = "IMPORT",
    [0x19] = "EXPORT", [0x1B] = "SESSION_CREATE", [0x1C] = "SESSION_CLOSE", [0x1E] = "SESSION_REFRESH",
    [0x1F] = "SESSION_POLICY", [0x20] = "VERSION", [0x21] = "VERSION_EXT", [0x22] = "MEMORY", [0x25] = "LIST",
    [0x26] = "TYPE", [0x27] = "EXIST", [0x28] = "DELETE_OBJECT", [0x2A] = "DELETE_ALL", [0x2C] = "SESSION_UserID",
    [0x2D] = "HKDF", [0x2E] = "PBKDF", [0x2F] = "HKDF_EXPAND_ONLY", [0x30] = "I2CM", [0x31] = "I2CM_ATTESTED",
    [0x32] = "MAC", [0x33] = "UNLOCK_CHALLENGE", [0x34] = "CURVE_LIST", [0x35] = "SIGN_ECDAA", [0x36] = "ID",
    [0x37] = "ENCRYPT_ONESHOT", [0x38] = "DECRYPT_ONESHOT", [0x3A] = "ATTEST", [0x3B] = "ATTRIBUTES", [0x3C] = "CPLC",
    [0x3D] = "TIME", [0x3E] = "TRANSPORT", [0x3F] = "VARIANT", [0x40] = "PARAM", [0x41] = "DELETE_CURVE",
    [0x42] = "ENCRYPT", [0x43] = "DECRYPT", [0x44] = "VALIDATE", [0x45] = "GENERATE_ONESHOT",
    [0x46] = "VALIDATE_ONESHOT", [0x47] = "CRYPTO_LIST", [0x49] = "RANDOM", [0x4A] = "TLS_PMS",
    [0x4B] = "TLS_PRF_CLI_HELLO", [0x4C] = "TLS_PRF_SRV_HELLO", [0x4D] = "TLS_PRF_CLI_RND", [0x4E] = "TLS_PRF_SRV_RND",
    [0x4F] = "RAW", [0x51] = "IMPORT_EXT", [0x52] = "SCP", [0x53] = "AUTH_FIRST_PART1", [0x54] = "AUTH_NONFIRST_PART1",
}

-- Common SE05x commands by INS (flags removed), P1, P2: the names of NXP's host API (se05x_APDU_apis.h).
local SE05X_API = {
    ["04001B"] = "CreateSession", ["04001C"] = "CloseSession", ["04001E"] = "RefreshSession",
    ["04001F"] = "ExchangeSessionData", ["04002C"] = "VerifySessionUserID", ["040020"] = "GetVersion",
    ["040021"] = "GetExtVersion", ["040022"] = "GetFreeMemory", ["040027"] = "CheckObjectExists",
    ["040028"] = "DeleteSecureObject", ["04002A"] = "DeleteAll", ["040049"] = "GetRandom",
    ["04003E"] = "SetLockState", ["040052"] = "SetPlatformSCPRequest", ["041028"] = "DeleteCryptoObject",
    ["020000"] = "ReadObject", ["020007"] = "ReadSize", ["020025"] = "ReadIDList", ["020026"] = "ReadType",
    ["030C09"] = "ECDSASign", ["030C0A"] = "ECDSAVerify", ["030D45"] = "MACOneShot (generate)",
    ["030D46"] = "MACOneShot (validate)", ["030D03"] = "MACInit (generate)", ["030D44"] = "MACInit (validate)",
    ["030D0C"] = "MACUpdate", ["030D0D"] = "MACFinal", ["030030"] = "I2CM_ExecuteCommandSet",
    ["030E37"] = "CipherOneShot (encrypt)", ["030E38"] = "CipherOneShot (decrypt)", ["050000"] = "ProcessSessionCmd",
    ["011000"] = "CreateCryptoObject",
}

local SE05X_WRITE_BY_TYPE = {
    [0x01] = "WriteECKey", [0x02] = "WriteRSAKey", [0x03] = "WriteSymmKey (AES)", [0x04] = "WriteSymmKey (DES)",
    [0x05] = "WriteSymmKey (HMAC)", [0x06] = "WriteBinary", [0x07] = "WriteUserID", [0x08] = "WriteCounter",
    [0x09] = "WritePCR", [0x0B] = "CreateECCurve", [0x10] = "CreateCryptoObject",
}

-- SE05x TLV tags (se05x_enums.h SE05x_TAG_t; TAG_11 on applet 7.x).
local SE05X_TAGS = {
    [0x10] = "SESSION_ID", [0x11] = "POLICY", [0x12] = "MAX_ATTEMPTS", [0x13] = "IMPORT_AUTH_DATA",
    [0x14] = "IMPORT_AUTH_KEY_ID", [0x15] = "POLICY_CHECK", [0x41] = "TAG_1", [0x42] = "TAG_2", [0x43] = "TAG_3",
    [0x44] = "TAG_4", [0x45] = "TAG_5", [0x46] = "TAG_6", [0x47] = "TAG_7", [0x48] = "TAG_8", [0x49] = "TAG_9",
    [0x4A] = "TAG_10", [0x4B] = "TAG_11", [0x4F] = "TIMESTAMP", [0x52] = "SIGNATURE",
}

-- BER-TLV tags of GP and ISO responses (GPC v2.3.1 §11.1.7 card data, §11.4 GET STATUS, §11.3 GET DATA, ISO 7816-4 FCI).
local BER_TAGS = {
    [0x6F] = "FCI template", [0x84] = "DF name (AID)", [0xA5] = "proprietary data", [0x73] = "security domain management data",
    [0x9F6E] = "application production life cycle data", [0x9F65] = "maximum length of command data",
    [0x66] = "card data", [0x06] = "OID", [0x60] = "card management type and version", [0x63] = "card management type",
    [0x64] = "card-chip details (secure channel protocol)", [0x65] = "card configuration details",
    [0x67] = "card / chip details", [0x68] = "issuer security domain trust point", [0x9F7F] = "CPLC data",
    [0xE0] = "key information template", [0xC0] = "key information data", [0xE3] = "GP registry entry",
    [0x4F] = "AID", [0x9F70] = "life cycle state", [0xC5] = "privileges", [0xC4] = "executable load file AID",
    [0xCE] = "executable load file version", [0x84] = "executable module AID", [0xCC] = "associated security domain AID",
    [0x42] = "issuer identification number", [0x45] = "card image number", [0xCF] = "key diversification data",
    [0xC1] = "sequence counter", [0xC2] = "confirmation counter", [0x5F50] = "security domain URL",
}

local GET_DATA_TAGS = {
    [0x9F7F] = "CPLC data", [0x0066] = "card data", [0x00E0] = "key information template",
    [0x0042] = "issuer identification number", [0x0045] = "card image number",
    [0x00CF] = "key diversification data", [0x00C1] = "sequence counter", [0x00C2] = "confirmation counter",
    [0x2F00] = "list of applications", [0xFF21] = "extended card resources",
}

local SM_NAMES = {
    [0] = "none", [1] = "proprietary (GP: SCP C-MAC)", [2] = "ISO, command header not processed",
    [3] = "ISO, command header authenticated",
}

local function scp03_level_text(level)
    if level == 0 then return "no secure messaging" end
    local parts = {}
    if band(level, 0x01) ~= 0 then parts[#parts + 1] = "C-MAC" end
    if band(level, 0x02) ~= 0 then parts[#parts + 1] = "C-DECRYPTION" end
    if band(level, 0x10) ~= 0 then parts[#parts + 1] = "R-MAC" end
    if band(level, 0x20) ~= 0 then parts[#parts + 1] = "R-ENCRYPTION" end
    return #parts == 0 and "unknown level" or table.concat(parts, " + ")
end

-- ISO/IEC 7816-4 §5.4.1: first interindustry class 000x xxxx (and GP's 100x xxxx) and further interindustry class
-- 01xx xxxx (and 11xx xxxx); GPC §11.1.4: '84'-'87' and 'E0'-'EF' carry secure messaging.
local function decode_cla(cla)
    local c = { proprietary = band(cla, 0x80) ~= 0, chaining = band(cla, 0x10) ~= 0 }
    if band(cla, 0x40) == 0 then
        c.channel = band(cla, 0x03)
        c.sm = band(rshift(cla, 2), 0x03)
    else
        c.channel = 4 + band(cla, 0x0F)
        c.sm = band(cla, 0x20) ~= 0 and 2 or 0
    end
    return c
end

local function se05x_name(ins, p1, p2)
    local base = band(ins, 0x1F)
    local api = SE05X_API[string.format("%02X%02X%02X", base, p1, p2)]
    if base == 0x01 and api == nil then api = SE05X_WRITE_BY_TYPE[band(p1, 0x1F)] end
    if api then
        if band(ins, 0xE0) ~= 0 then api = api .. " (" .. SE05X_INS[ins] .. ")" end
        return "SE05x " .. api
    end
    return "SE05x " .. SE05X_INS[ins] .. " " .. (SE05X_P2[p2] or string.format("P2 %02X", p2))
end

local function se05x_p1_text(p1)
    local part = SE05X_P1_PART[band(p1, 0x60)]
    local kind = SE05X_P1_TYPE[band(p1, 0x1F)] or string.format("type %02X", band(p1, 0x1F))
    return part and (kind .. " " .. part) or kind
end

-- Returns the command's name and its family: "se05x", "gp" or "iso".
local function command_name(cla, ins, p1, p2)
    local c = decode_cla(cla)
    if c.proprietary then
        if SE05X_INS[ins] then return se05x_name(ins, p1, p2), "se05x" end
        if GP_INS[ins] then return GP_INS[ins], "gp" end
        if ISO_INS[ins] then return ISO_INS[ins] .. " (proprietary class)", "iso" end
        return string.format("unknown instruction %02X (proprietary class)", ins), "unknown"
    end
    if ISO_INS[ins] then return ISO_INS[ins], "iso" end
    return string.format("unknown instruction %02X", ins), "unknown"
end

---------------------------------------------------------------------------------------------------------------------
-- APDU protocol
---------------------------------------------------------------------------------------------------------------------

local apdu = Proto("nanoagent.apdu", "nanoAgent APDU (ISO 7816-4, GlobalPlatform, SE05x)")
local af = {
    direction = ProtoField.uint8("nanoagent.apdu.direction", "Direction", base.DEC, DIRECTIONS, 0x01),
    protocol = ProtoField.uint8("nanoagent.apdu.protocol", "Block protocol", base.DEC, PROTOCOL_NAMES, 0xF0),
    blocks = ProtoField.uint8("nanoagent.apdu.blocks", "I-blocks carrying it", base.DEC),
    command = ProtoField.string("nanoagent.apdu.command", "Command"),
    cla = ProtoField.uint8("nanoagent.apdu.cla", "CLA", base.HEX),
    channel = ProtoField.uint8("nanoagent.apdu.channel", "Logical channel", base.DEC),
    sm = ProtoField.uint8("nanoagent.apdu.cla.sm", "Secure messaging", base.DEC, SM_NAMES),
    chaining = ProtoField.bool("nanoagent.apdu.cla.chaining", "Command chaining (more commands follow)"),
    proprietary = ProtoField.bool("nanoagent.apdu.cla.proprietary", "Proprietary class"),
    ins = ProtoField.uint8("nanoagent.apdu.ins", "INS", base.HEX),
    p1 = ProtoField.uint8("nanoagent.apdu.p1", "P1", base.HEX),
    p2 = ProtoField.uint8("nanoagent.apdu.p2", "P2", base.HEX),
    p1_text = ProtoField.string("nanoagent.apdu.p1.meaning", "P1 meaning"),
    p2_text = ProtoField.string("nanoagent.apdu.p2.meaning", "P2 meaning"),
    lc = ProtoField.uint32("nanoagent.apdu.lc", "Lc", base.DEC),
    le = ProtoField.uint32("nanoagent.apdu.le", "Le (0 means the maximum)", base.DEC),
    data = ProtoField.bytes("nanoagent.apdu.data", "Data"),
    aid = ProtoField.bytes("nanoagent.apdu.aid", "AID"),
    scp03 = ProtoField.bool("nanoagent.apdu.scp03", "SCP03 wrapped"),
    level = ProtoField.uint8("nanoagent.apdu.scp03.level", "SCP03 security level", base.HEX),
    level_text = ProtoField.string("nanoagent.apdu.scp03.level.meaning", "SCP03 security level meaning"),
    cmac = ProtoField.bytes("nanoagent.apdu.scp03.cmac", "C-MAC"),
    rmac = ProtoField.bytes("nanoagent.apdu.scp03.rmac", "R-MAC"),
    encrypted = ProtoField.bytes("nanoagent.apdu.scp03.encrypted", "Encrypted data"),
    host_challenge = ProtoField.bytes("nanoagent.apdu.scp03.host_challenge", "Host challenge"),
    host_cryptogram = ProtoField.bytes("nanoagent.apdu.scp03.host_cryptogram", "Host cryptogram"),
    key_div = ProtoField.bytes("nanoagent.apdu.scp03.key_diversification", "Key diversification data"),
    key_info = ProtoField.bytes("nanoagent.apdu.scp03.key_information", "Key information (KVN, SCP, i)"),
    card_challenge = ProtoField.bytes("nanoagent.apdu.scp03.card_challenge", "Card challenge"),
    card_cryptogram = ProtoField.bytes("nanoagent.apdu.scp03.card_cryptogram", "Card cryptogram"),
    sequence_counter = ProtoField.bytes("nanoagent.apdu.scp03.sequence_counter", "Sequence counter"),
    sw = ProtoField.uint16("nanoagent.apdu.sw", "Status word", base.HEX),
    sw_text = ProtoField.string("nanoagent.apdu.sw.meaning", "Status word meaning"),
    response_in = ProtoField.framenum("nanoagent.apdu.response_in", "Response in", base.NONE, frametype.RESPONSE),
    response_to = ProtoField.framenum("nanoagent.apdu.response_to", "Response to", base.NONE, frametype.REQUEST),
    response_to_command = ProtoField.string("nanoagent.apdu.response_to.command", "Response to command"),
    time = ProtoField.relative_time("nanoagent.apdu.time", "Time since the command"),
    tlv_tag = ProtoField.uint32("nanoagent.apdu.tlv.tag", "Tag", base.HEX),
    tlv_name = ProtoField.string("nanoagent.apdu.tlv.name", "Tag name"),
    tlv_len = ProtoField.uint32("nanoagent.apdu.tlv.length", "Length", base.DEC),
    tlv_value = ProtoField.bytes("nanoagent.apdu.tlv.value", "Value"),
    se05x_tag = ProtoField.uint8("nanoagent.apdu.se05x.tag", "SE05x tag", base.HEX, SE05X_TAGS),
    se05x_len = ProtoField.uint16("nanoagent.apdu.se05x.length", "Length", base.DEC),
    se05x_value = ProtoField.bytes("nanoagent.apdu.se05x.value", "Value"),
    inner = ProtoField.string("nanoagent.apdu.se05x.inner", "Command inside the session"),
}
apdu.fields = af

local ae = {
    malformed = ProtoExpert.new("nanoagent.apdu.malformed", "Malformed APDU", expert.group.MALFORMED, expert.severity.ERROR),
    sw_error = ProtoExpert.new("nanoagent.apdu.sw.error", "The card answered with an error", expert.group.RESPONSE_CODE, expert.severity.WARN),
    sw_warning = ProtoExpert.new("nanoagent.apdu.sw.warning", "The card answered with a warning", expert.group.RESPONSE_CODE, expert.severity.NOTE),
    no_command = ProtoExpert.new("nanoagent.apdu.no_command", "Response without a command before it in this capture", expert.group.SEQUENCE, expert.severity.NOTE),
    level_unknown = ProtoExpert.new("nanoagent.apdu.scp03.level_unknown", "SCP03 security level not seen in this capture: the data may be encrypted", expert.group.UNDECODED, expert.severity.NOTE),
}
apdu.experts = { ae.malformed, ae.sw_error, ae.sw_warning, ae.no_command, ae.level_unknown }

-- First-pass state: commands and their responses, SCP03 levels per logical channel.
local ast

local function apdu_reset()
    ast = { last = nil, level = {}, commands = {}, responses = {} }
end
apdu_reset()

-- Any card reset seen in the frames ends every secure channel session.
local function apdu_card_reset()
    ast.level = {}
    ast.last = nil
end

-- SE05x TLVs: one tag byte, length nn (up to 7F), 81 nn or 82 hh ll (se05x_tlv.c).
local function dissect_se05x_tlvs(tvb, offset, length, tree, pinfo)
    local at, stop = offset, offset + length
    while at < stop do
        if stop - at < 2 then
            tree:add_proto_expert_info(ae.malformed, "SE05x TLV cut short")
            return
        end
        local tag = tvb(at, 1):uint()
        local l, head = tvb(at + 1, 1):uint(), 2
        if l == 0x81 and stop - at >= 3 then
            l, head = tvb(at + 2, 1):uint(), 3
        elseif l == 0x82 and stop - at >= 4 then
            l, head = tvb(at + 2, 2):uint(), 4
        elseif l > 0x7F then
            tree:add_proto_expert_info(ae.malformed, "SE05x TLV length byte not understood")
            return
        end
        if at + head + l > stop then
            local item = tree:add(af.se05x_tag, tvb(at, 1))
            item:add_proto_expert_info(ae.malformed, "SE05x TLV longer than the data")
            return
        end
        local name = SE05X_TAGS[tag] or string.format("tag %02X", tag)
        local sub = tree:add(tvb(at, head + l), string.format("%s, %d bytes", name, l))
        sub:add(af.se05x_tag, tvb(at, 1))
        sub:add(af.se05x_len, tvb(at + 1, head - 1), l)
        if l > 0 then sub:add(af.se05x_value, tvb(at + head, l)) end
        at = at + head + l
    end
end

-- BER-TLV (ISO/IEC 8825-1 as ISO 7816-4 §5.2 uses it): tags of one to three bytes, lengths up to 83 xx xx xx.
local function dissect_ber(tvb, offset, length, tree, depth)
    local at, stop = offset, offset + length
    while at < stop do
        local first = tvb(at, 1):uint()
        while (first == 0x00 or first == 0xFF) and at + 1 < stop do
            at = at + 1 -- padding between TLVs (ISO/IEC 7816-4 §5.2)
            first = tvb(at, 1):uint()
        end
        if first == 0x00 or first == 0xFF then return true end
        local tag, tag_len = first, 1
        if band(first, 0x1F) == 0x1F then
            repeat
                if at + tag_len >= stop then return false end
                local b = tvb(at + tag_len, 1):uint()
                tag = tag * 256 + b
                tag_len = tag_len + 1
            until band(b, 0x80) == 0 or tag_len > 3
        end
        if at + tag_len >= stop then return false end
        local l, len_len = tvb(at + tag_len, 1):uint(), 1
        if l > 0x80 then
            local n = l - 0x80
            if n > 3 or at + tag_len + 1 + n > stop then return false end
            l, len_len = tvb(at + tag_len + 1, n):uint(), 1 + n
        elseif l == 0x80 then
            return false
        end
        local value_at = at + tag_len + len_len
        if value_at + l > stop then return false end
        local name = BER_TAGS[tag] or "tag"
        local sub = tree:add(tvb(at, tag_len + len_len + l), string.format("%s (%X), %d bytes", name, tag, l))
        sub:add(af.tlv_tag, tvb(at, tag_len), tag)
        sub:add(af.tlv_name, tvb(at, tag_len), name)
        sub:add(af.tlv_len, tvb(at + tag_len, len_len), l)
        if band(first, 0x20) ~= 0 and depth < 6 and l > 0 then
            if not dissect_ber(tvb, value_at, l, sub, depth + 1) then
                sub:add(af.tlv_value, tvb(value_at, l))
            end
        elseif l > 0 then
            sub:add(af.tlv_value, tvb(value_at, l))
        end
        at = value_at + l
    end
    return true
end

-- ISO/IEC 7816-4 §5.1: the body after CLA INS P1 P2, cases 1, 2S, 3S, 4S, 2E, 3E, 4E. Returns nil when no case fits.
local function parse_body(tvb, n)
    if n == 4 then return { data_len = 0 } end
    local b4 = tvb(4, 1):uint()
    if n == 5 then return { data_len = 0, le = b4 == 0 and 256 or b4, le_at = 4, le_len = 1 } end
    if b4 ~= 0 then
        local body = { lc = b4, lc_at = 4, lc_len = 1, data_at = 5, data_len = b4 }
        if n == 5 + b4 then return body end
        if n == 6 + b4 then
            local le = tvb(5 + b4, 1):uint()
            body.le, body.le_at, body.le_len = le == 0 and 256 or le, 5 + b4, 1
            return body
        end
        return nil
    end
    if n == 7 then
        local le = tvb(5, 2):uint()
        return { data_len = 0, le = le == 0 and 65536 or le, le_at = 4, le_len = 3 }
    end
    if n < 8 then return nil end
    local lc = tvb(5, 2):uint()
    if lc == 0 then return nil end
    local body = { lc = lc, lc_at = 4, lc_len = 3, data_at = 7, data_len = lc }
    if n == 7 + lc then return body end
    if n == 9 + lc then
        local le = tvb(7 + lc, 2):uint()
        body.le, body.le_at, body.le_len = le == 0 and 65536 or le, 7 + lc, 2
        return body
    end
    return nil
end

-- P1/P2 meanings of the GP and ISO commands (GPC v2.3.1 §11.x.2) and of SE05x commands (AN12413 §4.3).
local function p1p2_text(rec)
    local ins, p1, p2 = rec.ins, rec.p1, rec.p2
    if rec.family == "se05x" then
        return se05x_p1_text(p1), SE05X_P2[p2] or string.format("operation %02X", p2)
    end
    if ins == 0xA4 then
        local how = ({ [0x00] = "select by file identifier", [0x04] = "select by name (AID)" })[p1] or "selection method " .. string.format("%02X", p1)
        local which = ({ [0x00] = "first or only occurrence", [0x02] = "next occurrence", [0x0C] = "no response data" })[p2] or string.format("options %02X", p2)
        return how, which
    end
    if ins == 0x50 and rec.proprietary then
        return p1 == 0 and "key version: the first available" or "key version " .. decimal(p1), "key identifier " .. decimal(p2)
    end
    if ins == 0x82 and rec.proprietary then
        return "security level: " .. scp03_level_text(p1), "reference control parameter " .. string.format("%02X", p2)
    end
    if ins == 0xF2 then
        local subset = ({ [0x80] = "issuer security domain", [0x40] = "applications and security domains",
            [0x20] = "executable load files", [0x10] = "executable load files and their modules" })[p1] or string.format("subset %02X", p1)
        local form = (band(p2, 0x02) ~= 0 and "TLV format" or "legacy format") .. (band(p2, 0x01) ~= 0 and ", next occurrence" or ", first occurrence")
        return subset, form
    end
    if ins == 0xCA or ins == 0xCB then
        local tag = p1 * 256 + p2
        local name = GET_DATA_TAGS[tag] or "data object"
        return string.format("tag %04X: %s", tag, name), string.format("tag %04X: %s", tag, name)
    end
    if ins == 0xE6 then
        local roles = {}
        for _, r in ipairs({ { 0x02, "for load" }, { 0x04, "for install" }, { 0x08, "for make selectable" },
            { 0x10, "for extradition" }, { 0x20, "for personalization" }, { 0x40, "for registry update" } }) do
            if band(p1, r[1]) ~= 0 then roles[#roles + 1] = r[2] end
        end
        return (#roles > 0 and table.concat(roles, ", ") or "no role") .. (band(p1, 0x80) ~= 0 and ", more commands follow" or ""), "reference control parameter"
    end
    if ins == 0xE4 then
        return band(p1, 0x80) ~= 0 and "more commands follow" or "last (or only) command",
            band(p2, 0x80) ~= 0 and "delete the object and related objects" or "delete the object"
    end
    if ins == 0xD8 then
        return (band(p1, 0x7F) == 0 and "a new key set" or "replace key version " .. decimal(band(p1, 0x7F))) .. (band(p1, 0x80) ~= 0 and ", more commands follow" or ""),
            "key identifier " .. decimal(band(p2, 0x7F)) .. (band(p2, 0x80) ~= 0 and ", several keys" or "")
    end
    if ins == 0xF0 then
        local scope = ({ [0x80] = "issuer security domain", [0x40] = "application or security domain",
            [0x60] = "security domain and its associated applications" })[p1] or string.format("subset %02X", p1)
        return scope, string.format("life cycle state %02X", p2)
    end
    if ins == 0xE2 then
        return band(p1, 0x80) ~= 0 and "last block" or "more blocks follow", "block number " .. decimal(p2)
    end
    if ins == 0x70 then
        if p1 == 0x00 then return "open a logical channel", p2 == 0 and "the card assigns the number" or "channel " .. decimal(p2) end
        if p1 == 0x80 then return "close a logical channel", "channel " .. decimal(p2) end
    end
    return nil, nil
end

local function add_range(tree, field, tvb, at, len)
    if len > 0 then return tree:add(field, tvb(at, len)) end
    return nil
end

local dissect_command_fields

-- The data of a command, once any SCP03 MAC and encryption are taken off.
local function dissect_command_data(tvb, at, len, tree, rec, pinfo)
    if len <= 0 then return end
    local ins = rec.ins
    if rec.family == "se05x" then
        dissect_se05x_tlvs(tvb, at, len, tree, pinfo)
        if ins == 0x05 then
            -- ProcessSessionCmd: TAG_SESSION_ID, then TAG_1 holding the inner command APDU (without Le).
            local i, stop = at, at + len
            while i + 2 <= stop do
                local tag, l, head = tvb(i, 1):uint(), tvb(i + 1, 1):uint(), 2
                if l == 0x81 then l, head = tvb(i + 2, 1):uint(), 3 elseif l == 0x82 then l, head = tvb(i + 2, 2):uint(), 4 end
                if i + head + l > stop then break end
                if tag == 0x41 and l >= 4 then
                    local inner_tvb = tvb(i + head, l):tvb("Command inside the session")
                    local inner = rec.inner
                    local sub = tree:add(af.inner, tvb(i + head, l), inner and inner.name or "")
                    if inner then dissect_command_fields(inner_tvb, sub, inner, pinfo) end
                end
                i = i + head + l
            end
        end
        return
    end
    if ins == 0xA4 and rec.p1 == 0x04 then
        tree:add(af.aid, tvb(at, len))
    elseif ins == 0x50 and rec.proprietary then
        tree:add(af.host_challenge, tvb(at, len))
    elseif ins == 0xF2 or ins == 0xE4 or ins == 0xCB then
        if not dissect_ber(tvb, at, len, tree, 0) then tree:add(af.data, tvb(at, len)) end
    else
        tree:add(af.data, tvb(at, len))
    end
end

-- Header, body, SCP03 parts and data of a command APDU (ProcessSessionCmd recurses into it).
dissect_command_fields = function(tvb, tree, rec, pinfo)
    local n = tvb:len()
    tree:add(af.command, tvb(0, math.min(n, 4)), rec.name)
    local cla_item = tree:add(af.cla, tvb(0, 1))
    cla_item:add(af.channel, tvb(0, 1), rec.channel)
    cla_item:add(af.sm, tvb(0, 1), rec.sm)
    cla_item:add(af.chaining, tvb(0, 1), rec.chaining)
    cla_item:add(af.proprietary, tvb(0, 1), rec.proprietary)
    tree:add(af.ins, tvb(1, 1)):append_text(" (" .. rec.name .. ")")
    local p1_item = tree:add(af.p1, tvb(2, 1))
    local p2_item = tree:add(af.p2, tvb(3, 1))
    local t1, t2 = p1p2_text(rec)
    if t1 then p1_item:add(af.p1_text, tvb(2, 1), t1) end
    if t2 then p2_item:add(af.p2_text, tvb(3, 1), t2) end
    local body = parse_body(tvb, n)
    if body == nil then
        tree:add_proto_expert_info(ae.malformed, "the body fits none of the ISO/IEC 7816-4 cases (Lc and length disagree)")
        if n > 4 then tree:add(af.data, tvb(4, n - 4)) end
        return
    end
    if body.lc then tree:add(af.lc, tvb(body.lc_at, body.lc_len), body.lc) end
    local at, len = body.data_at, body.data_len
    if rec.sm ~= 0 then
        tree:add(af.scp03, tvb(0, 1), true)
        if rec.level then
            tree:add(af.level, tvb(0, 1), rec.level):append_text(" (" .. scp03_level_text(rec.level) .. ", from EXTERNAL AUTHENTICATE)")
        end
        if len >= 8 then
            local plain = len - 8
            if rec.ins == 0x82 and rec.proprietary then
                add_range(tree, af.host_cryptogram, tvb, at, plain)
            elseif plain > 0 then
                if rec.level and band(rec.level, 0x02) ~= 0 then
                    tree:add(af.encrypted, tvb(at, plain))
                elseif rec.level then
                    dissect_command_data(tvb, at, plain, tree, rec, pinfo)
                else
                    tree:add(af.data, tvb(at, plain)):add_proto_expert_info(ae.level_unknown)
                end
            end
            tree:add(af.cmac, tvb(at + plain, 8))
        elseif len > 0 then
            tree:add(af.data, tvb(at, len)):add_proto_expert_info(ae.malformed, "secure messaging without room for an 8-byte C-MAC")
        end
    else
        dissect_command_data(tvb, at, len, tree, rec, pinfo)
    end
    if body.le then tree:add(af.le, tvb(body.le_at, body.le_len), body.le) end
end

local function command_record(tvb, pinfo)
    local n = tvb:len()
    local cla, ins, p1, p2 = tvb(0, 1):uint(), tvb(1, 1):uint(), tvb(2, 1):uint(), tvb(3, 1):uint()
    local c = decode_cla(cla)
    local name, family = command_name(cla, ins, p1, p2)
    local rec = { cla = cla, ins = ins, p1 = p1, p2 = p2, name = name, family = family, channel = c.channel, sm = c.sm,
        chaining = c.chaining, proprietary = c.proprietary, time = pinfo.abs_ts }
    if c.sm ~= 0 then rec.level = ast.level[c.channel] end
    if family == "se05x" and band(ins, 0x1F) == 0x05 and (c.sm == 0 or (rec.level and band(rec.level, 0x02) == 0)) then
        -- ProcessSessionCmd: find the inner command's header for its name (and for its answer).
        local body = parse_body(tvb, n)
        if body and body.data_len > 0 then
            local i, stop = body.data_at, body.data_at + body.data_len - (c.sm ~= 0 and 8 or 0)
            while i + 2 <= stop do
                local tag, l, head = tvb(i, 1):uint(), tvb(i + 1, 1):uint(), 2
                if l == 0x81 then l, head = tvb(i + 2, 1):uint(), 3 elseif l == 0x82 then l, head = tvb(i + 2, 2):uint(), 4 end
                if i + head + l > stop then break end
                if tag == 0x41 and l >= 4 then
                    local icla, iins, ip1, ip2 = tvb(i + head, 1):uint(), tvb(i + head + 1, 1):uint(), tvb(i + head + 2, 1):uint(), tvb(i + head + 3, 1):uint()
                    local ic = decode_cla(icla)
                    local iname, ifamily = command_name(icla, iins, ip1, ip2)
                    rec.inner = { cla = icla, ins = iins, p1 = ip1, p2 = ip2, name = iname, family = ifamily, channel = ic.channel,
                        sm = ic.sm, chaining = ic.chaining, proprietary = ic.proprietary }
                    rec.name = name .. " [" .. iname .. "]"
                end
                i = i + head + l
            end
        end
    end
    return rec
end

-- First pass: what a command does to the SCP03 state of its logical channel.
local function track_command(rec)
    if rec.proprietary and rec.ins == 0x50 then ast.level[rec.channel] = nil end       -- a new session starts
    if rec.ins == 0xA4 and rec.p1 == 0x04 then ast.level[rec.channel] = nil end        -- deselecting the application ends its session (GPC ch. 10)
    if rec.ins == 0x70 and rec.p1 == 0x80 then ast.level[rec.p2] = nil end             -- MANAGE CHANNEL close
end

local function track_response(cmd, sw)
    if cmd.proprietary and cmd.ins == 0x82 and sw == 0x9000 then ast.level[cmd.channel] = cmd.p1 end
    -- GP Amd D: a command whose C-MAC fails verification is refused (6982, or 6988) and ends the session.
    if cmd.sm ~= 0 and (sw == 0x6982 or sw == 0x6988) then ast.level[cmd.channel] = nil end
end

local function dissect_response_fields(tvb, tree, cmd, pinfo)
    local n = tvb:len()
    if n < 2 then
        tree:add_proto_expert_info(ae.malformed, "a response needs at least the two status word bytes")
        return nil
    end
    local sw = tvb(n - 2, 2):uint()
    local len = n - 2
    if cmd then
        if cmd.sm ~= 0 and cmd.level and band(cmd.level, 0x10) ~= 0 and len >= 8 then
            len = len - 8
            tree:add(af.rmac, tvb(len, 8))
        end
        if len > 0 then
            if cmd.sm ~= 0 and cmd.level and band(cmd.level, 0x20) ~= 0 then
                tree:add(af.encrypted, tvb(0, len))
            elseif cmd.proprietary and cmd.ins == 0x50 and (len == 29 or len == 32 or len == 45 or len == 48) then
                -- GPC Amd D §7.1.1.6: key diversification data, key information, card challenge, card cryptogram, [counter].
                local s = (len >= 45) and 16 or 8
                tree:add(af.key_div, tvb(0, 10))
                tree:add(af.key_info, tvb(10, 3))
                tree:add(af.card_challenge, tvb(13, s))
                tree:add(af.card_cryptogram, tvb(13 + s, s))
                if len == 13 + 2 * s + 3 then tree:add(af.sequence_counter, tvb(13 + 2 * s, 3)) end
            else
                local family = cmd.inner and cmd.inner.family or cmd.family
                local data_tree = tree:add(af.data, tvb(0, len))
                if family == "se05x" then
                    dissect_se05x_tlvs(tvb, 0, len, data_tree, pinfo)
                elseif cmd.ins == 0xCA or cmd.ins == 0xCB or cmd.ins == 0xF2 or cmd.ins == 0xA4 then
                    dissect_ber(tvb, 0, len, data_tree, 0)
                end
            end
        end
    elseif len > 0 then
        tree:add(af.data, tvb(0, len))
    end
    local sw_item = tree:add(af.sw, tvb(n - 2, 2))
    local meaning = sw_meaning(sw)
    sw_item:add(af.sw_text, tvb(n - 2, 2), meaning)
    if sw_is_warning(sw) then
        sw_item:add_proto_expert_info(ae.sw_warning, string.format("%04X: %s", sw, meaning))
    elseif not sw_is_success(sw) then
        sw_item:add_proto_expert_info(ae.sw_error, string.format("%04X: %s", sw, meaning))
    end
    return sw, meaning
end

-- Dissects one APDU (command when dir is 0, response when 1) into tree; returns the text for the Info column.
local function dissect_apdu_body(tvb, pinfo, tree, dir, blocks, header_tvb)
    local number = pinfo.number
    local item = tree:add(apdu, tvb())
    if header_tvb then
        item:add(af.direction, header_tvb(0, 1))
        item:add(af.protocol, header_tvb(0, 1))
        if header_tvb:len() > 1 then item:add(af.blocks, header_tvb(1, 1)) end
    elseif blocks then
        item:add(af.blocks, blocks)
    end
    local n = tvb:len()
    if dir == 0 then
        if n < 4 then
            item:add_proto_expert_info(ae.malformed, "a command needs at least CLA INS P1 P2")
            return "malformed command"
        end
        local rec
        if not pinfo.visited then
            rec = command_record(tvb, pinfo)
            ast.commands[number] = rec
            ast.last = number
            track_command(rec)
        else
            rec = ast.commands[number] or command_record(tvb, pinfo)
        end
        item:append_text(": " .. rec.name)
        dissect_command_fields(tvb, item, rec, pinfo)
        if rec.response then item:add(af.response_in, rec.response) end
        local text = rec.name
        if rec.sm ~= 0 then text = text .. " [SCP03]" end
        if rec.channel ~= 0 then text = text .. " (channel " .. decimal(rec.channel) .. ")" end
        return text
    end
    local cmd_number
    if not pinfo.visited then
        cmd_number = ast.last
        ast.responses[number] = cmd_number or 0
        ast.last = nil
        if cmd_number then
            local cmd = ast.commands[cmd_number]
            cmd.response = number
            if n >= 2 then track_response(cmd, tvb(n - 2, 2):uint()) end
        end
    else
        cmd_number = ast.responses[number]
        if cmd_number == 0 then cmd_number = nil end
    end
    local cmd = cmd_number and ast.commands[cmd_number] or nil
    if cmd then
        item:add(af.response_to, cmd_number)
        item:add(af.response_to_command, cmd.name)
        local delta = pinfo.abs_ts - cmd.time
        local secs = math.floor(delta)
        item:add(af.time, NSTime.new(secs, math.floor((delta - secs) * 1e9 + 0.5)))
    else
        item:add_proto_expert_info(ae.no_command)
    end
    local sw, meaning = dissect_response_fields(tvb, item, cmd, pinfo)
    if sw == nil then return "malformed response" end
    local text = string.format("%04X %s", sw, meaning)
    item:append_text(": " .. text)
    if cmd then text = text .. " (" .. cmd.name .. ")" end
    return text
end

function apdu.dissector(tvb, pinfo, tree)
    if tvb:len() < 3 then return 0 end
    local dir = band(tvb(0, 1):uint(), 0x01)
    pinfo.cols.protocol = "APDU"
    pinfo.cols.src = dir == 0 and "host" or "SE"
    pinfo.cols.dst = dir == 0 and "SE" or "host"
    pinfo.cols.info = ARROWS[dir] .. " " .. dissect_apdu_body(tvb(2):tvb(), pinfo, tree, dir, nil, tvb(0, 2):tvb())
    return tvb:len()
end

---------------------------------------------------------------------------------------------------------------------
-- Block-protocol frames: NXP SE05x T=1 over I2C (UM11225 §3) and GlobalPlatform T=1' (GPC_SPE_172 §4.1)
---------------------------------------------------------------------------------------------------------------------

local S_NAMES_GP = { [0x00] = "RESYNCH", [0x01] = "IFS", [0x02] = "ABORT", [0x03] = "WTX", [0x04] = "CIP",
    [0x06] = "RELEASE", [0x0F] = "SWR" }
local S_NAMES_SE05X = { [0x00] = "RESYNCH", [0x01] = "IFS", [0x02] = "ABORT", [0x03] = "WTX",
    [0x05] = "END OF APDU SESSION", [0x06] = "CHIP RESET", [0x07] = "GET ATR", [0x0F] = "INTERFACE SOFT RESET" }
local BLOCK_KINDS = { [0] = "I-block (information)", [1] = "R-block (receive ready)", [2] = "S-block (supervisory)" }
local R_ERRORS = { [0] = "no error (acknowledges)", [1] = "CRC or parity error", [2] = "other error" }
local CRC_STATUS = { [0] = "Bad", [1] = "Good" }

local t1 = Proto("nanoagent.t1", "nanoAgent block-protocol frame (SE05x T=1oI2C, GP T=1')")
local tf = {
    direction = ProtoField.uint8("nanoagent.t1.direction", "Direction", base.DEC, DIRECTIONS, 0x01),
    protocol = ProtoField.uint8("nanoagent.t1.protocol", "Block protocol", base.DEC, PROTOCOL_NAMES, 0xF0),
    guessed = ProtoField.string("nanoagent.t1.protocol.guessed", "Block protocol guessed"),
    nad = ProtoField.uint8("nanoagent.t1.nad", "NAD", base.HEX),
    pcb = ProtoField.uint8("nanoagent.t1.pcb", "PCB", base.HEX),
    block = ProtoField.uint8("nanoagent.t1.block", "Block", base.DEC, BLOCK_KINDS),
    ns = ProtoField.uint8("nanoagent.t1.ns", "N(S) send sequence number", base.DEC),
    more = ProtoField.bool("nanoagent.t1.more", "M: more data follows (chaining)"),
    nr = ProtoField.uint8("nanoagent.t1.nr", "N(R) sequence number expected", base.DEC),
    r_error = ProtoField.uint8("nanoagent.t1.r_error", "Error", base.DEC, R_ERRORS),
    s_type = ProtoField.uint8("nanoagent.t1.s_type", "S-block type", base.HEX),
    s_name = ProtoField.string("nanoagent.t1.s_name", "S-block"),
    s_response = ProtoField.bool("nanoagent.t1.s_response", "Response (not request)"),
    len = ProtoField.uint16("nanoagent.t1.len", "LEN", base.DEC),
    inf = ProtoField.bytes("nanoagent.t1.inf", "INF"),
    ifs = ProtoField.uint16("nanoagent.t1.ifs", "IFS (bytes)", base.DEC),
    wtx = ProtoField.uint8("nanoagent.t1.wtx", "WTX multiplier (of BWT)", base.DEC),
    crc = ProtoField.uint16("nanoagent.t1.crc", "CRC", base.HEX),
    crc_status = ProtoField.uint8("nanoagent.t1.crc.status", "CRC status", base.DEC, CRC_STATUS),
    crc_expected = ProtoField.uint16("nanoagent.t1.crc.expected", "CRC expected", base.HEX),
    retransmission = ProtoField.bool("nanoagent.t1.retransmission", "Retransmission of the previous I-block"),
    s_repeat = ProtoField.bool("nanoagent.t1.s_repeat", "S request sent again (its answer never arrived intact)"),
    pver = ProtoField.uint8("nanoagent.t1.atr.pver", "Protocol version", base.DEC),
    vid = ProtoField.bytes("nanoagent.t1.atr.vid", "Vendor ID"),
    iin = ProtoField.bytes("nanoagent.t1.cip.iin", "Issuer identification number"),
    plid = ProtoField.uint8("nanoagent.t1.atr.plid", "Physical layer ID", base.DEC, { [1] = "SPI", [2] = "I2C" }),
    bwt = ProtoField.uint16("nanoagent.t1.atr.bwt", "BWT (ms)", base.DEC),
    ifsc = ProtoField.uint16("nanoagent.t1.atr.ifsc", "IFSC (bytes)", base.DEC),
    mcf = ProtoField.uint16("nanoagent.t1.atr.mcf", "Maximum clock frequency (kHz)", base.DEC),
    config = ProtoField.uint8("nanoagent.t1.atr.config", "Configuration", base.HEX),
    pwt = ProtoField.uint8("nanoagent.t1.atr.pwt", "Power wake-up time (ms)", base.DEC),
    pst = ProtoField.uint8("nanoagent.t1.atr.pst", "Power saving timeout (ms)", base.DEC),
    mpot = ProtoField.uint8("nanoagent.t1.atr.mpot", "Minimum polling time (x100 us)", base.DEC),
    mpot_se05x = ProtoField.uint8("nanoagent.t1.atr.mpot_se05x", "Minimum polling time (MPOT)", base.DEC),
    rwgt = ProtoField.uint16("nanoagent.t1.atr.rwgt", "Read/write guard time (us)", base.DEC),
    segt = ProtoField.uint16("nanoagent.t1.atr.segt", "SE guard time (us)", base.DEC),
    seal = ProtoField.uint16("nanoagent.t1.atr.seal", "SE access length", base.DEC),
    wut = ProtoField.uint16("nanoagent.t1.atr.wut", "Wake-up time (us)", base.DEC),
    hb = ProtoField.bytes("nanoagent.t1.atr.historical", "Historical bytes"),
    hb_text = ProtoField.string("nanoagent.t1.atr.historical.text", "Historical bytes as text"),
}
t1.fields = tf

local te = {
    crc_bad = ProtoExpert.new("nanoagent.t1.crc.bad", "Bad CRC", expert.group.CHECKSUM, expert.severity.ERROR),
    len_mismatch = ProtoExpert.new("nanoagent.t1.len.mismatch", "LEN does not match the INF bytes present", expert.group.MALFORMED, expert.severity.ERROR),
    truncated = ProtoExpert.new("nanoagent.t1.truncated", "Frame shorter than prologue and CRC", expert.group.MALFORMED, expert.severity.ERROR),
    r_error = ProtoExpert.new("nanoagent.t1.r_error.expert", "Retransmission requested", expert.group.SEQUENCE, expert.severity.WARN),
    retransmission = ProtoExpert.new("nanoagent.t1.retransmission.expert", "I-block sent again (same N(S))", expert.group.SEQUENCE, expert.severity.NOTE),
    s_repeat = ProtoExpert.new("nanoagent.t1.s_repeat.expert", "S request sent again: its answer never arrived intact", expert.group.SEQUENCE, expert.severity.NOTE),
    nad = ProtoExpert.new("nanoagent.t1.nad.unexpected", "Unexpected NAD for this protocol and direction", expert.group.PROTOCOL, expert.severity.WARN),
    wtx = ProtoExpert.new("nanoagent.t1.wtx.expert", "The SE asks for more time (waiting time extension)", expert.group.SEQUENCE, expert.severity.CHAT),
    resynch = ProtoExpert.new("nanoagent.t1.resynch.expert", "Resynchronisation or reset: sequence numbers start again", expert.group.SEQUENCE, expert.severity.NOTE),
    guessed = ProtoExpert.new("nanoagent.t1.protocol.guessed.expert", "The capture does not record the block protocol: guessed", expert.group.ASSUMPTION, expert.severity.NOTE),
    params = ProtoExpert.new("nanoagent.t1.atr.malformed", "ATR/CIP shorter than its length fields say", expert.group.MALFORMED, expert.severity.WARN),
}
t1.experts = { te.crc_bad, te.len_mismatch, te.truncated, te.r_error, te.retransmission, te.s_repeat, te.nad, te.wtx, te.resynch,
    te.guessed, te.params }

t1.prefs.protocol = Pref.enum("Block protocol of captures that do not record it", 0,
    "Captures written before nanoAgent recorded the protocol in the pseudo-header", {
        { 1, "Guess from the NAD", 0 },
        { 2, "NXP SE05x T=1 over I2C", PROTO_SE05X },
        { 3, "GlobalPlatform T=1'", PROTO_GP_I2C },
    }, false)

local tst

local function t1_reset()
    tst = { last_ns = { [0] = -1, [1] = -1 }, chain = { [0] = {}, [1] = {} }, blocks = { [0] = 0, [1] = 0 }, frames = {} }
end
t1_reset()

function t1.init()
    t1_reset()
    apdu_reset()
end

function apdu.init()
    apdu_reset()
end

local function guess_protocol(f)
    local n = f:len()
    local nad = n > 0 and f(0, 1):uint() or -1
    if nad == 0x5A or nad == 0xA5 then return PROTO_SE05X end
    if nad == 0x21 or nad == 0x12 then return PROTO_GP_I2C end
    if n >= 6 and n == 6 + f(2, 2):uint() then return PROTO_GP_I2C end
    return PROTO_SE05X
end

-- A cursor over the INF of an ATR/CIP that notes when a field runs past the end.
local function reader(tvb, at, stop, tree)
    local r = { at = at, ok = true }
    function r.take(n)
        if not r.ok or r.at + n > stop then r.ok = false return nil end
        local range = tvb(r.at, n)
        r.at = r.at + n
        return range
    end
    function r.field(field, n)
        local range = r.take(n)
        if range then tree:add(field, range) end
        return range
    end
    return r
end

local function add_historical(tree, range)
    if not range or range:len() == 0 then return end
    tree:add(tf.hb, range)
    local text = range:string()
    if text:match("^[%g ]+$") then tree:add(tf.hb_text, range, text) end
end

-- SE05x ATR (UM11225 §3.2): PVER, VID(5), DLLP length + BWT(2) IFSC(2), PLID, PLP length + MCF(2) CONFIG MPOT RFU(3)
-- SEGT(2) WUT(2), historical bytes length + bytes.
local function dissect_atr(tvb, at, len, tree)
    local atr = tree:add(tvb(at, len), "SE05x ATR")
    local r = reader(tvb, at, at + len, atr)
    r.field(tf.pver, 1)
    r.field(tf.vid, 5)
    local dl = r.take(1)
    if dl then
        local start = r.at
        r.field(tf.bwt, 2)
        r.field(tf.ifsc, 2)
        r.take(dl:uint() - (r.at - start))
    end
    r.field(tf.plid, 1)
    local pl = r.take(1)
    if pl then
        local start = r.at
        r.field(tf.mcf, 2)
        r.field(tf.config, 1)
        r.field(tf.mpot_se05x, 1)
        r.take(3)
        r.field(tf.segt, 2)
        r.field(tf.wut, 2)
        if r.ok and r.at - start < pl:uint() then r.take(pl:uint() - (r.at - start)) end
    end
    local hl = r.take(1)
    if hl then add_historical(atr, r.take(hl:uint())) end
    if not r.ok then atr:add_proto_expert_info(te.params) end
end

-- GP CIP (GPC_SPE_172 §4.3): PVER, IIN length + IIN, PLID, PLP length + PLP (I2C: CONFIG PWT MCF(2) PST MPOT RWGT(2);
-- SPI: CONFIG PWT MCF(2) PST MPOT SEGT(2) SEAL(2) WUT(2)), DLLP length + BWT(2) IFSC(2), historical bytes.
local function dissect_cip(tvb, at, len, tree)
    local cip = tree:add(tvb(at, len), "GP CIP (communication interface parameters)")
    local r = reader(tvb, at, at + len, cip)
    r.field(tf.pver, 1)
    local il = r.take(1)
    if il and il:uint() > 0 then r.field(tf.iin, il:uint()) end
    local plid = r.field(tf.plid, 1)
    local pl = r.take(1)
    if pl then
        local start = r.at
        r.field(tf.config, 1)
        r.field(tf.pwt, 1)
        r.field(tf.mcf, 2)
        r.field(tf.pst, 1)
        r.field(tf.mpot, 1)
        if plid and plid:uint() == 1 then
            r.field(tf.segt, 2)
            r.field(tf.seal, 2)
            r.field(tf.wut, 2)
        else
            r.field(tf.rwgt, 2)
        end
        if r.ok and r.at - start < pl:uint() then r.take(pl:uint() - (r.at - start)) end
    end
    local dl = r.take(1)
    if dl then
        local start = r.at
        r.field(tf.bwt, 2)
        r.field(tf.ifsc, 2)
        if r.ok and r.at - start < dl:uint() then r.take(dl:uint() - (r.at - start)) end
    end
    local hl = r.take(1)
    if hl then add_historical(cip, r.take(hl:uint())) end
    if not r.ok then cip:add_proto_expert_info(te.params) end
end

-- First pass: sequence numbers, chains and retransmissions per direction, as PcapCapture.cs puts APDUs together.
local function track_frame(number, dir, kind, pcb, s_type, good, inf_hex)
    local rec = {}
    tst.frames[number] = rec
    if not good then return rec end
    if kind == 2 then
        local request = band(pcb, 0x20) == 0
        if request and dir == 0 then
            rec.s_repeat = tst.open_s == pcb
            tst.open_s = pcb
        elseif not request and dir == 1 then
            tst.open_s = nil
        end
        if s_type == 0x00 or s_type == 0x06 or s_type == 0x0F then
            tst.last_ns[0], tst.last_ns[1] = -1, -1
            tst.chain[0], tst.chain[1] = {}, {}
            tst.blocks[0], tst.blocks[1] = 0, 0
            if s_type ~= 0x00 and band(pcb, 0x20) ~= 0 then apdu_card_reset() end
        end
        return rec
    end
    if dir == 0 then tst.open_s = nil end
    if kind ~= 0 then return rec end
    local ns = band(rshift(pcb, 6), 1)
    if ns == tst.last_ns[dir] then
        rec.retransmission = true
        return rec
    end
    tst.last_ns[dir] = ns
    local chain = tst.chain[dir]
    chain[#chain + 1] = inf_hex
    tst.blocks[dir] = tst.blocks[dir] + 1
    if band(pcb, 0x20) ~= 0 then return rec end
    rec.apdu = table.concat(chain)
    rec.blocks = tst.blocks[dir]
    tst.chain[dir] = {}
    tst.blocks[dir] = 0
    return rec
end

function t1.dissector(tvb, pinfo, tree)
    local total = tvb:len()
    if total < 1 then return 0 end
    local header = tvb(0, 1):uint()
    local dir = band(header, 0x01)
    local protocol = rshift(header, 4)
    local f = total > 1 and tvb(1):tvb() or nil
    local root = tree:add(t1, tvb())
    root:add(tf.direction, tvb(0, 1))
    root:add(tf.protocol, tvb(0, 1))
    if protocol < PROTO_SE05X or protocol > PROTO_GP_SPI then
        local chosen = t1.prefs.protocol
        protocol = (chosen ~= 0) and chosen or (f and guess_protocol(f) or PROTO_SE05X)
        root:add(tf.guessed, tvb(0, 1), PROTOCOL_NAMES[protocol]):add_proto_expert_info(te.guessed)
    end
    local gp = protocol ~= PROTO_SE05X
    pinfo.cols.protocol = gp and "T=1'" or "T=1oI2C"
    pinfo.cols.src = dir == 0 and "host" or "SE"
    pinfo.cols.dst = dir == 0 and "SE" or "host"
    local prologue = gp and 4 or 3
    local n = f and f:len() or 0
    if n < prologue + 2 then
        root:add_proto_expert_info(te.truncated, string.format("%d bytes: shorter than prologue and CRC", n))
        pinfo.cols.info = ARROWS[dir] .. " truncated frame (" .. decimal(n) .. " bytes)"
        return total
    end
    local nad, pcb = f(0, 1):uint(), f(1, 1):uint()
    local nad_item = root:add(tf.nad, f(0, 1))
    local expected_nad = gp and (dir == 0 and 0x21 or 0x12) or (dir == 0 and 0x5A or 0xA5)
    if nad ~= expected_nad then nad_item:add_proto_expert_info(te.nad, string.format("NAD %02X, expected %02X", nad, expected_nad)) end
    local pcb_item = root:add(tf.pcb, f(1, 1))
    local kind, text, s_type = 0, "", nil
    local names = gp and S_NAMES_GP or S_NAMES_SE05X
    if band(pcb, 0x80) == 0 then
        kind = 0
        local ns, m = band(rshift(pcb, 6), 1), band(pcb, 0x20) ~= 0
        pcb_item:add(tf.block, f(1, 1), 0)
        pcb_item:add(tf.ns, f(1, 1), ns)
        pcb_item:add(tf.more, f(1, 1), m)
        text = string.format("I(N(S)=%d M=%d)", ns, m and 1 or 0)
    elseif band(pcb, 0xC0) == 0x80 then
        kind = 1
        local nr, err = band(rshift(pcb, 4), 1), band(pcb, 0x0F)
        pcb_item:add(tf.block, f(1, 1), 1)
        pcb_item:add(tf.nr, f(1, 1), nr)
        local err_item = pcb_item:add(tf.r_error, f(1, 1), err)
        if err ~= 0 then err_item:add_proto_expert_info(te.r_error, "Retransmission requested: " .. (R_ERRORS[err] or "error " .. decimal(err))) end
        text = string.format("R(N(R)=%d %s)", nr, err == 0 and "ack" or err == 1 and "CRC error" or err == 2 and "other error" or "error " .. decimal(err))
    else
        kind = 2
        s_type = band(pcb, 0x1F)
        local response = band(pcb, 0x20) ~= 0
        local name = names[s_type] or string.format("type %02X", s_type)
        pcb_item:add(tf.block, f(1, 1), 2)
        pcb_item:add(tf.s_type, f(1, 1), s_type)
        pcb_item:add(tf.s_name, f(1, 1), name)
        pcb_item:add(tf.s_response, f(1, 1), response)
        text = string.format("S(%s %s)", name, response and "response" or "request")
        if s_type == 0x03 and not response then pcb_item:add_proto_expert_info(te.wtx) end
        if s_type == 0x00 or s_type == 0x06 or s_type == 0x0F then pcb_item:add_proto_expert_info(te.resynch) end
    end
    pcb_item:append_text(" " .. text)
    local len = gp and f(2, 2):uint() or f(2, 1):uint()
    local len_item = root:add(tf.len, f(2, prologue - 2))
    local present = n - prologue - 2
    local good_len = len == present
    if not good_len then
        len_item:add_proto_expert_info(te.len_mismatch, string.format("LEN %d but %d INF bytes present", len, present))
    end
    if present > 0 then
        local inf_item = root:add(tf.inf, f(prologue, present))
        if kind == 2 and good_len then
            if s_type == 0x01 and (present == 1 or present == 2) then inf_item:add(tf.ifs, f(prologue, present))
            elseif s_type == 0x03 and present == 1 then inf_item:add(tf.wtx, f(prologue, 1))
            elseif band(pcb, 0x20) ~= 0 and not gp and (s_type == 0x07 or s_type == 0x0F) then dissect_atr(f, prologue, present, inf_item)
            elseif band(pcb, 0x20) ~= 0 and gp and s_type == 0x04 then dissect_cip(f, prologue, present, inf_item)
            end
        end
    end
    local bytes = f:bytes()
    local expected = crc16_x25(bytes, 0, n - 2)
    local received = gp and f(n - 2, 2):uint() or f(n - 2, 2):le_uint()
    local crc_item = root:add(tf.crc, f(n - 2, 2), received)
    local good_crc = expected == received
    crc_item:add(tf.crc_status, f(n - 2, 2), good_crc and 1 or 0)
    if not good_crc then
        crc_item:add(tf.crc_expected, f(n - 2, 2), expected)
        crc_item:add_proto_expert_info(te.crc_bad, string.format("Bad CRC %04X, expected %04X", received, expected))
    end
    local info = string.format("%s %s LEN %d", ARROWS[dir], text, len)
    if not good_len then info = info .. string.format(" but %d INF bytes present", present) end
    info = info .. (good_crc and " CRC ok" or string.format(" CRC BAD (expected %04X)", expected))
    local rec
    if not pinfo.visited then
        rec = track_frame(pinfo.number, dir, kind, pcb, s_type, good_crc and good_len, present > 0 and f(prologue, present):bytes():tohex() or "")
    else
        rec = tst.frames[pinfo.number] or {}
    end
    if rec.retransmission then
        root:add(tf.retransmission, f(1, 1), true):add_proto_expert_info(te.retransmission)
        info = info .. " [retransmission]"
    end
    if rec.s_repeat then
        root:add(tf.s_repeat, f(1, 1), true):add_proto_expert_info(te.s_repeat)
        info = info .. " [sent again]"
    end
    if rec.apdu and #rec.apdu > 0 then
        local apdu_tvb = ByteArray.new(rec.apdu):tvb(rec.blocks > 1 and "APDU from " .. decimal(rec.blocks) .. " I-blocks" or "APDU")
        info = info .. " \226\128\148 " .. dissect_apdu_body(apdu_tvb, pinfo, tree, dir, rec.blocks, nil)
    end
    pinfo.cols.info = info
    return total
end

---------------------------------------------------------------------------------------------------------------------
-- Registration: the frames file is LINKTYPE_USER0 (147), the APDU file LINKTYPE_USER1 (148)
---------------------------------------------------------------------------------------------------------------------

local encap = DissectorTable.get("wtap_encap")
encap:add(wtap_encaps.USER0, t1)
encap:add(wtap_encaps.USER1, apdu)
