/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ipchains-parser.h"

#include "ipchains-names.h"

#include "ns3/log.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpchainsParser");

namespace
{

/**
 * Options, in the order of the optflags table of ipchains.c (the -o
 * netlink option is not simulated and has no column).
 */
enum Option : uint32_t
{
    OPT_NUMERIC = 1U << 0,
    OPT_SOURCE = 1U << 1,
    OPT_DESTINATION = 1U << 2,
    OPT_PROTOCOL = 1U << 3,
    OPT_JUMP = 1U << 4,
    OPT_TCPSYN = 1U << 5,
    OPT_BIDIR = 1U << 6,
    OPT_VERBOSE = 1U << 7,
    OPT_PRINTK = 1U << 8,
    OPT_EXPANDED = 1U << 9,
    OPT_TOS = 1U << 10,
    OPT_VIANAME = 1U << 11,
    OPT_FRAGMENT = 1U << 12,
    OPT_MARK = 1U << 13,
    OPT_SRCPT = 1U << 14,
    OPT_DSTPT = 1U << 15,
    OPT_LINENUMBERS = 1U << 16,
};

/// Number of option columns.
constexpr int NUMBER_OF_OPT = 17;

/// How an option is named in messages, and whether `!` may precede it.
struct OptionInfo
{
    const char* name; //!< as typed, e.g. "-s" or "--sport"
    bool invertible;  //!< ipchains.c inverse_for_options has a flag for it
};

/// The options, in the order of the Option bits.
const OptionInfo OPTIONS[NUMBER_OF_OPT] = {
    {"-n", false},
    {"-s", true},
    {"-d", true},
    {"-p", true},
    {"-j", false},
    {"-y", true},
    {"-b", false},
    {"-v", false},
    {"-l", false},
    {"-x", false},
    {"-t", false},
    {"-i", true},
    {"-f", true},
    {"-m", false},
    {"--sport", true},
    {"--dport", true},
    {"--line-numbers", false},
};

/// Commands, in the order of the cmdflags table of ipchains.c.
enum Command : uint32_t
{
    CMD_NONE = 0,
    CMD_INSERT = 1U << 0,
    CMD_DELETE = 1U << 1,
    CMD_DELETE_NUM = 1U << 2,
    CMD_REPLACE = 1U << 3,
    CMD_APPEND = 1U << 4,
    CMD_LIST = 1U << 5,
    CMD_FLUSH = 1U << 6,
    CMD_ZERO = 1U << 7,
    CMD_NEW_CHAIN = 1U << 8,
    CMD_DELETE_CHAIN = 1U << 9,
    CMD_SET_POLICY = 1U << 10,
    CMD_CHECK = 1U << 11,
};

/// Number of command rows.
constexpr int NUMBER_OF_CMD = 12;

/// The letter of each command.
const char COMMAND_CHARS[NUMBER_OF_CMD] =
    {'I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z', 'N', 'X', 'P', 'C'};

/**
 * Which options each command takes (ipchains.c commands_v_options):
 * '+' compulsory, 'x' illegal, ' ' optional. Columns:
 * -n -s -d -p -j -y -b -v -l -x -t -i -f -m --sport --dport --line-numbers
 */
const char COMMANDS_V_OPTIONS[NUMBER_OF_CMD][NUMBER_OF_OPT + 1] = {
    /* INSERT     */ "x        x      x",
    /* DELETE     */ "x        x      x",
    /* DELETE_NUM */ "xxxxxxx xxxxxxxxx",
    /* REPLACE    */ "x     x  x      x",
    /* APPEND     */ "x        x      x",
    /* LIST       */ " xxxxxx x xxxxxx ",
    /* FLUSH      */ "xxxxxxx xxxxxxxxx",
    /* ZERO       */ "xxxxxxx xxxxxxxxx",
    /* NEW_CHAIN  */ "xxxxxxx xxxxxxxxx",
    /* DEL_CHAIN  */ "xxxxxxx xxxxxxxxx",
    /* SET_POLICY */ "xxxxxxx xxxxxxxxx",
    /* CHECK      */ "x+++x   xxx+ x  x",
};

/// A long option (ipchains.c opts[]).
struct LongOption
{
    const char* name; //!< name after "--"
    int argument;     //!< 0 none, 1 required, 2 optional
    char code;        //!< the short option it stands for
};

/// Long options; '1' is --sport/--icmp-type, '2' --dport, '3' --line-numbers.
const LongOption LONG_OPTIONS[] = {
    {"append", 1, 'A'},       {"add", 1, 'A'},          {"delete", 1, 'D'},
    {"insert", 1, 'I'},       {"replace", 1, 'R'},      {"list", 2, 'L'},
    {"flush", 2, 'F'},        {"zero", 2, 'Z'},         {"check", 1, 'C'},
    {"new-chain", 1, 'N'},    {"delete-chain", 2, 'X'}, {"policy", 1, 'P'},
    {"masquerading", 0, 'M'}, {"set", 1, 'S'},          {"bidirectional", 0, 'b'},
    {"source", 1, 's'},       {"destination", 1, 'd'},  {"src", 1, 's'},
    {"dst", 1, 'd'},          {"source-port", 1, '1'},  {"destination-port", 1, '2'},
    {"icmp-type", 1, '1'},    {"sport", 1, '1'},        {"dport", 1, '2'},
    {"protocol", 1, 'p'},     {"interface", 1, 'i'},    {"jump", 1, 'j'},
    {"TOS", 1, 't'},          {"mark", 1, 'm'},         {"numeric", 0, 'n'},
    {"log", 0, 'l'},          {"output", 2, 'o'},       {"verbose", 0, 'v'},
    {"exact", 0, 'x'},        {"fragments", 0, 'f'},    {"syn", 0, 'y'},
    {"version", 0, 'V'},      {"help", 2, 'h'},         {"line-numbers", 0, '3'},
    {"no-warnings", 0, 'W'},
};

/**
 * \brief Argument kind of a short option, from the getopt string of
 * ipchains.c ("A:C:D:R:I:L::F::Z::N:X::P:MS:Vh::o::p:s:d:j:i:fbvm:nlt:xy").
 * \param c the option letter
 * \return 0 none, 1 required, 2 optional, -1 unknown
 */
int
ShortOptionArgument(char c)
{
    switch (c)
    {
    case 'A':
    case 'C':
    case 'D':
    case 'R':
    case 'I':
    case 'N':
    case 'P':
    case 'S':
    case 'p':
    case 's':
    case 'd':
    case 'j':
    case 'i':
    case 'm':
    case 't':
        return 1;
    case 'L':
    case 'F':
    case 'Z':
    case 'X':
    case 'h':
    case 'o':
        return 2;
    case 'M':
    case 'V':
    case 'f':
    case 'b':
    case 'v':
    case 'n':
    case 'l':
    case 'x':
    case 'y':
        return 0;
    default:
        return -1;
    }
}

/**
 * \brief ipchains.c string_to_number: a whole decimal number in a range.
 * \param s the text
 * \param min smallest value accepted
 * \param max largest value accepted
 * \return the number, or -1
 */
long long
StringToNumber(const std::string& s, long long min, long long max)
{
    if (s.empty())
    {
        return -1;
    }
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || end == s.c_str() || n < min || n > max)
    {
        return -1;
    }
    return n;
}

/**
 * \brief ipchains.c dotted_to_addr: exactly four decimal bytes.
 * \param s the text
 * \param address the address
 * \return true on success
 */
bool
DottedToAddress(const std::string& s, uint32_t& address)
{
    uint32_t value = 0;
    std::size_t start = 0;
    for (int i = 0; i < 4; i++)
    {
        std::size_t dot = (i < 3) ? s.find('.', start) : s.size();
        if (dot == std::string::npos)
        {
            return false;
        }
        long long byte = StringToNumber(s.substr(start, dot - start), 0, 255);
        if (byte < 0)
        {
            return false;
        }
        value = (value << 8) | static_cast<uint32_t>(byte);
        start = dot + 1;
    }
    address = value;
    return true;
}

/**
 * \brief ipchains.c parse_port: a number or a service name.
 * \param word the text
 * \param protocol the rule's protocol
 * \param port the port
 * \param error the message on failure
 * \return true on success
 */
bool
ParsePort(const std::string& word, uint8_t protocol, uint16_t& port, std::string& error)
{
    if (protocol != FirewallRule::PROTO_ICMP && protocol != FirewallRule::PROTO_TCP &&
        protocol != FirewallRule::PROTO_UDP)
    {
        error = "can only specify ports for icmp, tcp or udp";
        return false;
    }
    long long n = StringToNumber(word, 0, 65535);
    if (n >= 0)
    {
        port = static_cast<uint16_t>(n);
        return true;
    }
    if (protocol == FirewallRule::PROTO_ICMP)
    {
        // ICMP types given as port numbers must be numeric.
        error = "invalid ICMP type `" + word + "' specified";
        return false;
    }
    if (IpchainsNames::ServiceToPort(word, protocol, port))
    {
        return true;
    }
    error = "invalid port/service `" + word + "' specified";
    return false;
}

/// Everything the option loop collects before the rule is built.
class ParseState
{
  public:
    /**
     * \brief Start parsing.
     * \param args the words
     */
    explicit ParseState(const std::vector<std::string>& args)
        : m_args(args)
    {
    }

    /**
     * \brief Run the whole parse.
     * \param command the result
     * \param error the message on failure
     * \return true on success
     */
    bool Run(IpchainsCommand& command, std::string& error);

  private:
    /**
     * \brief Record an error.
     * \param message the message
     * \return false
     */
    bool Fail(const std::string& message)
    {
        if (m_error.empty())
        {
            m_error = message;
        }
        return false;
    }

    /**
     * \brief Whether the next word is a plain argument (it does not begin
     * with '-' or '!': the test ipchains.c applies to optional arguments).
     * \return true if so
     */
    bool NextIsWord() const
    {
        return m_next < m_args.size() && !m_args[m_next].empty() && m_args[m_next][0] != '-' &&
               m_args[m_next][0] != '!';
    }

    /**
     * \brief ipchains.c set_option: refuse a repeated option and apply a
     * pending `!`.
     * \param option the option bit
     * \param inverted set when `!` was pending
     * \return false on error
     */
    bool SetOption(uint32_t option, bool* inverted);

    /**
     * \brief ipchains.c add_command.
     * \param command the new command bit
     * \param others commands it may be combined with
     * \return false on error
     */
    bool AddCommand(uint32_t command, uint32_t others);

    /**
     * \brief A command that names its chain as the option's argument (-A, -D, -C, -I, -R, -N, -P).
     * \param command the command bit
     * \param chain the chain named
     * \return false on error
     */
    bool AddChainCommand(uint32_t command, const std::string& chain);

    /**
     * \brief Read the rule number that may follow the chain (-D, -I, -R).
     * \param found set when a number was there
     * \return false on error (a word that is not a rule number)
     */
    bool TakeRuleNumber(bool& found);

    /**
     * \brief ipchains.c check_inverse on an option argument: `-p ! tcp`.
     * \param optarg the option's argument
     * \param display the option as typed, for messages
     * \param value the real value
     * \return false on error
     */
    bool TakeValue(const std::string& optarg, const std::string& display, std::string& value);

    /**
     * \brief Handle one option.
     * \param code the option letter
     * \param optarg its argument, or nullptr
     * \param display the option as typed, for messages
     * \return false on error
     */
    bool Handle(char code, const std::string* optarg, const std::string& display);

    /**
     * \brief Parse a long option word.
     * \param word the word, "--" included
     * \return false on error
     */
    bool HandleLong(const std::string& word);

    /**
     * \brief Parse a word of bundled short options.
     * \param word the word, "-" included
     * \return false on error
     */
    bool HandleShort(const std::string& word);

    /**
     * \brief ipchains.c generic_opt_check.
     * \return false on error
     */
    bool CheckOptions();

    /**
     * \brief ipchains.c parse_icmp.
     * \param rule the rule to fill
     * \return false on error
     */
    bool ParseIcmp(FirewallRule& rule);

    /**
     * \brief Build and check the rule after the option loop.
     * \param command the result
     * \return false on error
     */
    bool Finish(IpchainsCommand& command);

    const std::vector<std::string>& m_args; //!< the words
    std::size_t m_next{0};                  //!< next word
    std::string m_error;                    //!< first error
    bool m_done{false};                     //!< -V or -h: stop parsing

    uint32_t m_command{CMD_NONE}; //!< command bits
    uint32_t m_options{0};        //!< option bits
    bool m_invert{false};         //!< a `!` is pending

    std::string m_chain;                                    //!< chain argument
    bool m_haveChain{false};                                //!< chain given
    uint32_t m_ruleNumber{0};                               //!< rule number
    std::string m_policy;                                   //!< -P target
    std::string m_jump;                                     //!< -j target
    std::string m_targetPort;                               //!< REDIRECT / DIVERT port word
    bool m_haveTargetPort{false};                           //!< port word given
    std::string m_srcPorts;                                 //!< source ports word
    std::string m_dstPorts;                                 //!< destination ports word
    std::string m_srcHost;                                  //!< -s word
    std::string m_dstHost;                                  //!< -d word
    uint8_t m_protocol{0};                                  //!< -p value
    std::string m_interface;                                //!< -i value
    uint8_t m_tosAnd{0xFF};                                 //!< -t and
    uint8_t m_tosXor{0x00};                                 //!< -t xor
    FirewallRule::MarkOp m_markOp{FirewallRule::MARK_NONE}; //!< -m op
    uint32_t m_mark{0};                                     //!< -m value
    bool m_icmpHelp{false};                                 //!< -h icmp
    bool m_version{false};                                  //!< -V
    bool m_help{false};                                     //!< -h
    bool m_noWarnings{false};                               //!< --no-warnings

    bool m_invSrcIp{false}; //!< -s !
    bool m_invDstIp{false}; //!< -d !
    bool m_invProto{false}; //!< -p !
    bool m_invSyn{false};   //!< ! -y
    bool m_invVia{false};   //!< -i !
    bool m_invFrag{false};  //!< ! -f
    bool m_invSrcPt{false}; //!< --sport !
    bool m_invDstPt{false}; //!< --dport !
    bool m_dummyInv{false}; //!< sink for options that cannot be inverted
};

bool
ParseState::SetOption(uint32_t option, bool* inverted)
{
    int index = 0;
    while ((1U << index) != option)
    {
        index++;
    }
    if (m_options & option)
    {
        return Fail(std::string("multiple ") + OPTIONS[index].name + " flags not allowed");
    }
    m_options |= option;
    if (m_invert)
    {
        if (!OPTIONS[index].invertible)
        {
            return Fail(std::string("cannot have ! before ") + OPTIONS[index].name);
        }
        *inverted = true;
        m_invert = false;
    }
    return true;
}

bool
ParseState::AddCommand(uint32_t command, uint32_t others)
{
    if (m_invert)
    {
        return Fail("unexpected ! flag");
    }
    uint32_t clash = m_command & ~others;
    if (clash)
    {
        int newIndex = 0;
        while ((1U << newIndex) != command)
        {
            newIndex++;
        }
        int oldIndex = 0;
        while (!(clash & (1U << oldIndex)))
        {
            oldIndex++;
        }
        return Fail(std::string("Can't use -") + COMMAND_CHARS[newIndex] + " with -" +
                    COMMAND_CHARS[oldIndex]);
    }
    m_command |= command;
    return true;
}

bool
ParseState::TakeValue(const std::string& optarg, const std::string& display, std::string& value)
{
    if (optarg != "!")
    {
        value = optarg;
        return true;
    }
    if (m_invert)
    {
        return Fail("Multiple `!' flags not allowed");
    }
    m_invert = true;
    if (m_next >= m_args.size())
    {
        return Fail("option `" + display + "' requires an argument");
    }
    value = m_args[m_next++];
    return true;
}

bool
ParseState::AddChainCommand(uint32_t command, const std::string& chain)
{
    if (!AddCommand(command, CMD_NONE))
    {
        return false;
    }
    m_chain = chain;
    m_haveChain = true;
    return true;
}

bool
ParseState::TakeRuleNumber(bool& found)
{
    found = NextIsWord();
    if (!found)
    {
        return true;
    }
    const std::string& word = m_args[m_next++];
    long long n = StringToNumber(word, 1, INT_MAX);
    if (n < 0)
    {
        return Fail("Invalid rule number `" + word + "'");
    }
    m_ruleNumber = static_cast<uint32_t>(n);
    return true;
}

bool
ParseState::Handle(char code, const std::string* optarg, const std::string& display)
{
    std::string value;
    switch (code)
    {
    case 'A':
        return AddChainCommand(CMD_APPEND, *optarg);

    case 'D': {
        bool numbered = false;
        if (!AddChainCommand(CMD_DELETE, *optarg) || !TakeRuleNumber(numbered))
        {
            return false;
        }
        if (numbered)
        {
            m_command = CMD_DELETE_NUM;
        }
        break;
    }

    case 'C':
        return AddChainCommand(CMD_CHECK, *optarg);

    case 'R':
    case 'I': {
        bool replace = (code == 'R');
        bool numbered = false;
        if (!AddChainCommand(replace ? CMD_REPLACE : CMD_INSERT, *optarg) ||
            !TakeRuleNumber(numbered))
        {
            return false;
        }
        if (!numbered && replace)
        {
            return Fail("-R requires a rule number");
        }
        if (!numbered)
        {
            m_ruleNumber = 1; // ipchains(8): -I without a number inserts at the head
        }
        break;
    }

    case 'L':
    case 'F':
    case 'Z':
    case 'X': {
        uint32_t cmd = (code == 'L')   ? CMD_LIST
                       : (code == 'F') ? CMD_FLUSH
                       : (code == 'Z') ? CMD_ZERO
                                       : CMD_DELETE_CHAIN;
        uint32_t others = (code == 'L') ? CMD_ZERO : (code == 'Z') ? CMD_LIST : CMD_NONE;
        if (!AddCommand(cmd, others))
        {
            return false;
        }
        if (optarg)
        {
            m_chain = *optarg;
            m_haveChain = true;
        }
        else if (NextIsWord())
        {
            m_chain = m_args[m_next++];
            m_haveChain = true;
        }
        if ((m_command & CMD_LIST) && (m_command & CMD_ZERO) && m_haveChain)
        {
            return Fail("-L with -Z does not allow chain to be specified");
        }
        break;
    }

    case 'N':
        return AddChainCommand(CMD_NEW_CHAIN, *optarg);

    case 'P':
        if (!AddChainCommand(CMD_SET_POLICY, *optarg))
        {
            return false;
        }
        if (!NextIsWord())
        {
            return Fail("-P requires a chain and a policy");
        }
        m_policy = m_args[m_next++];
        break;

    case 'M':
    case 'S':
        return Fail("masquerading (-M, -S) is not simulated");

    case 'o':
        return Fail("netlink output (-o) is not simulated");

    case 'h':
        m_help = true;
        if ((optarg && *optarg == "icmp") ||
            (!optarg && m_next < m_args.size() && m_args[m_next] == "icmp"))
        {
            m_icmpHelp = true;
        }
        m_done = true;
        break;

    case 'V':
        m_version = true;
        m_done = true;
        break;

    case 'p': {
        if (!TakeValue(*optarg, display, value) || !SetOption(OPT_PROTOCOL, &m_invProto))
        {
            return false;
        }
        std::string error;
        if (!IpchainsParser::ParseProtocol(value, m_protocol, error))
        {
            return Fail(error);
        }
        if (m_protocol == 0 && m_invProto)
        {
            return Fail("rule would never match protocol");
        }
        break;
    }

    case 's':
    case 'd': {
        bool source = (code == 's');
        if (!TakeValue(*optarg, display, value) ||
            !SetOption(source ? OPT_SOURCE : OPT_DESTINATION, source ? &m_invSrcIp : &m_invDstIp))
        {
            return false;
        }
        (source ? m_srcHost : m_dstHost) = value;
        // An optional "[!] port[:port]" follows the address. A `!` not
        // followed by a port is left for the next option.
        std::size_t look = m_next;
        bool portInvert = false;
        if (look < m_args.size() && m_args[look] == "!")
        {
            portInvert = true;
            look++;
        }
        if (look < m_args.size() && !m_args[look].empty() && m_args[look][0] != '-' &&
            m_args[look][0] != '!')
        {
            m_next = look + 1;
            (source ? m_srcPorts : m_dstPorts) = m_args[look];
            m_invert = portInvert;
            if (!SetOption(source ? OPT_SRCPT : OPT_DSTPT, source ? &m_invSrcPt : &m_invDstPt))
            {
                return false;
            }
        }
        break;
    }

    case '1':
    case '2': {
        bool source = (code == '1');
        if (!TakeValue(*optarg, display, value) ||
            !SetOption(source ? OPT_SRCPT : OPT_DSTPT, source ? &m_invSrcPt : &m_invDstPt))
        {
            return false;
        }
        (source ? m_srcPorts : m_dstPorts) = value;
        break;
    }

    case 'j':
        if (!SetOption(OPT_JUMP, &m_dummyInv))
        {
            return false;
        }
        m_jump = *optarg;
        if (m_jump.empty())
        {
            return Fail("Invalid target name (too short)");
        }
        if (m_jump.size() > IpchainsParser::MAX_CHAIN_NAME)
        {
            return Fail("Invalid target name `" + m_jump + "' (8 chars max)");
        }
        if ((m_jump == "REDIRECT" || m_jump == "DIVERT") && NextIsWord())
        {
            m_targetPort = m_args[m_next++];
            m_haveTargetPort = true;
        }
        break;

    case 'i':
        if (!TakeValue(*optarg, display, value) || !SetOption(OPT_VIANAME, &m_invVia))
        {
            return false;
        }
        m_interface = value;
        break;

    case 'f':
        if (!SetOption(OPT_FRAGMENT, &m_invFrag))
        {
            return false;
        }
        break;

    case 'y':
        if (!SetOption(OPT_TCPSYN, &m_invSyn))
        {
            return false;
        }
        break;

    case 'b':
        return SetOption(OPT_BIDIR, &m_dummyInv);

    case 'v':
        return SetOption(OPT_VERBOSE, &m_dummyInv);

    case 'n':
        return SetOption(OPT_NUMERIC, &m_dummyInv);

    case 'l':
        return SetOption(OPT_PRINTK, &m_dummyInv);

    case 'x':
        return SetOption(OPT_EXPANDED, &m_dummyInv);

    case '3':
        if (m_invert)
        {
            return Fail("cannot have ! before --line-numbers");
        }
        return SetOption(OPT_LINENUMBERS, &m_dummyInv);

    case 'W':
        if (m_invert)
        {
            return Fail("cannot have ! before --no-warnings");
        }
        m_noWarnings = true;
        break;

    case 'm': {
        if (!SetOption(OPT_MARK, &m_dummyInv))
        {
            return false;
        }
        // ipchains.c parse_mark: [+-]number, any base strtoul accepts.
        const std::string& text = *optarg;
        std::size_t start = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
        std::string digits = text.substr(start);
        errno = 0;
        char* end = nullptr;
        unsigned long long v = std::strtoull(digits.c_str(), &end, 0);
        if (digits.empty() || *end != '\0' || end == digits.c_str() || errno != 0 || v > UINT_MAX ||
            digits[0] == '-' || digits[0] == '+' ||
            std::isspace(static_cast<unsigned char>(digits[0])))
        {
            return Fail("Bad value `" + text + "' for -m.");
        }
        uint32_t value32 = static_cast<uint32_t>(v);
        if (start == 0)
        {
            m_markOp = FirewallRule::MARK_SET;
            m_mark = value32;
        }
        else
        {
            // A subtraction is the addition of the two's complement.
            m_markOp = FirewallRule::MARK_ADD;
            m_mark = (text[0] == '-') ? static_cast<uint32_t>(0U - value32) : value32;
        }
        break;
    }

    case 't': {
        if (!SetOption(OPT_TOS, &m_dummyInv))
        {
            return false;
        }
        if (!NextIsWord())
        {
            return Fail("-t requires 2 hexbyte arguments");
        }
        const std::string* words[2] = {optarg, &m_args[m_next++]};
        uint8_t* masks[2] = {&m_tosAnd, &m_tosXor};
        for (int k = 0; k < 2; k++)
        {
            const std::string& w = *words[k];
            errno = 0;
            char* end = nullptr;
            long n = std::strtol(w.c_str(), &end, 16);
            if (*end != '\0' || end == w.c_str() || errno != 0 || n < 0 || n > 255)
            {
                return Fail("invalid hexbyte `" + w + "' specified");
            }
            *masks[k] = static_cast<uint8_t>(n);
        }
        break;
    }

    default:
        return Fail("invalid option `" + display + "'");
    }
    return true;
}

bool
ParseState::HandleLong(const std::string& word)
{
    std::string body = word.substr(2);
    std::string name = body;
    std::string value;
    bool hasValue = false;
    std::size_t eq = body.find('=');
    if (eq != std::string::npos)
    {
        name = body.substr(0, eq);
        value = body.substr(eq + 1);
        hasValue = true;
    }
    // getopt_long: an exact name wins, otherwise a unique prefix.
    const LongOption* found = nullptr;
    bool ambiguous = false;
    for (const auto& o : LONG_OPTIONS)
    {
        std::string candidate = o.name;
        if (candidate == name)
        {
            found = &o;
            ambiguous = false;
            break;
        }
        if (!name.empty() && candidate.compare(0, name.size(), name) == 0)
        {
            if (found && (found->code != o.code || found->argument != o.argument))
            {
                ambiguous = true;
            }
            else if (!found)
            {
                found = &o;
            }
        }
    }
    if (ambiguous)
    {
        return Fail("option `" + word + "' is ambiguous");
    }
    if (!found)
    {
        return Fail("unrecognized option `" + word + "'");
    }
    std::string display = std::string("--") + found->name;
    if (found->argument == 0)
    {
        if (hasValue)
        {
            return Fail("option `" + display + "' doesn't allow an argument");
        }
        return Handle(found->code, nullptr, display);
    }
    if (found->argument == 1 && !hasValue)
    {
        if (m_next >= m_args.size())
        {
            return Fail("option `" + display + "' requires an argument");
        }
        value = m_args[m_next++];
        hasValue = true;
    }
    return Handle(found->code, hasValue ? &value : nullptr, display);
}

bool
ParseState::HandleShort(const std::string& word)
{
    for (std::size_t pos = 1; pos < word.size(); pos++)
    {
        char c = word[pos];
        std::string display = std::string("-") + c;
        int kind = ShortOptionArgument(c);
        if (kind < 0)
        {
            return Fail("invalid option `" + display + "'");
        }
        if (kind == 0)
        {
            if (!Handle(c, nullptr, display))
            {
                return false;
            }
            if (m_done)
            {
                return true;
            }
            continue;
        }
        std::string rest = word.substr(pos + 1);
        if (!rest.empty())
        {
            return Handle(c, &rest, display);
        }
        if (kind == 2)
        {
            return Handle(c, nullptr, display);
        }
        if (m_next >= m_args.size())
        {
            return Fail("option `" + display + "' requires an argument");
        }
        std::string value = m_args[m_next++];
        return Handle(c, &value, display);
    }
    return true;
}

bool
ParseState::CheckOptions()
{
    for (int i = 0; i < NUMBER_OF_OPT; i++)
    {
        int legal = 0; // -1 illegal, 1 legal, 0 undecided
        for (int j = 0; j < NUMBER_OF_CMD; j++)
        {
            if (!(m_command & (1U << j)))
            {
                continue;
            }
            char rule = COMMANDS_V_OPTIONS[j][i];
            if (!(m_options & (1U << i)))
            {
                if (rule == '+')
                {
                    return Fail(std::string("You need to supply the `") + OPTIONS[i].name +
                                "' option for this command");
                }
            }
            else if (rule != 'x')
            {
                legal = 1;
            }
            else if (legal == 0)
            {
                legal = -1;
            }
        }
        if (legal == -1)
        {
            return Fail(std::string("Illegal option `") + OPTIONS[i].name + "' with this command");
        }
    }
    return true;
}

bool
ParseState::ParseIcmp(FirewallRule& rule)
{
    bool checking = (m_command == CMD_CHECK);
    uint16_t typeMin = 0;
    uint16_t typeMax = FirewallRule::PORT_MAX;
    uint16_t codeMin = 0;
    uint16_t codeMax = FirewallRule::PORT_MAX;
    if (m_options & OPT_SRCPT)
    {
        std::vector<IpchainsNames::IcmpName> matches = IpchainsNames::NameToIcmp(m_srcPorts);
        if (matches.size() > 1)
        {
            return Fail("Ambiguous ICMP `" + m_srcPorts + "' : `" + matches[0].name + "' or `" +
                        matches[1].name + "'?");
        }
        if (!matches.empty())
        {
            const IpchainsNames::IcmpName& match = matches[0];
            if (m_options & OPT_DSTPT)
            {
                return Fail("Can't use ICMP name and destination port together");
            }
            m_options |= OPT_DSTPT;
            codeMin = match.codeMin;
            codeMax = match.codeMax;
            if (checking)
            {
                if (match.useCodeMinForTesting)
                {
                    codeMax = codeMin;
                }
                else if (codeMin != codeMax)
                {
                    return Fail("Must specify exact ICMP type for testing");
                }
            }
            // Inverting a name would not do what the user thinks.
            if (m_invSrcPt || m_invDstPt)
            {
                return Fail("Can't invert named ICMP types");
            }
            rule.SetSourcePorts(match.type, match.type, false);
            rule.SetDestinationPorts(codeMin, codeMax, false);
            return true;
        }
    }
    std::string error;
    if ((m_options & OPT_SRCPT) &&
        !IpchainsParser::ParsePorts(m_srcPorts, FirewallRule::PROTO_ICMP, typeMin, typeMax, error))
    {
        return Fail(error);
    }
    if ((m_options & OPT_DSTPT) &&
        !IpchainsParser::ParsePorts(m_dstPorts, FirewallRule::PROTO_ICMP, codeMin, codeMax, error))
    {
        return Fail(error);
    }
    rule.SetSourcePorts(typeMin, typeMax, m_invSrcPt);
    rule.SetDestinationPorts(codeMin, codeMax, m_invDstPt);
    return true;
}

bool
ParseState::Finish(IpchainsCommand& command)
{
    command = IpchainsCommand();
    if (m_version)
    {
        command.kind = IpchainsCommand::VERSION;
        return true;
    }
    if (m_help)
    {
        command.kind = IpchainsCommand::HELP;
        command.icmpHelp = m_icmpHelp;
        return true;
    }
    if (m_command == CMD_NONE)
    {
        return Fail("no command specified");
    }
    if (m_invert)
    {
        return Fail("nothing appropriate following !");
    }
    if (!CheckOptions())
    {
        return false;
    }
    if (m_haveChain && m_chain.size() > IpchainsParser::MAX_CHAIN_NAME)
    {
        return Fail("chain name `" + m_chain + "' too long (must be under 8 chars)");
    }

    bool ruleCommand = (m_command & (CMD_APPEND | CMD_INSERT | CMD_DELETE | CMD_REPLACE)) != 0;
    bool checking = (m_command == CMD_CHECK);
    FirewallRule& rule = command.rule;
    if (ruleCommand || checking)
    {
        if (ruleCommand)
        {
            // ipchains.c: a rule without -s or -d means "anywhere".
            if (!(m_options & OPT_SOURCE))
            {
                m_srcHost = "0.0.0.0/0";
            }
            if (!(m_options & OPT_DESTINATION))
            {
                m_dstHost = "0.0.0.0/0";
            }
        }
        rule.SetProtocol(m_protocol, m_invProto);
        Ipv4Address address;
        Ipv4Mask mask;
        std::string error;
        if (!IpchainsParser::ParseHostNetworkMask(m_srcHost, address, mask, error))
        {
            return Fail(error);
        }
        rule.SetSource(address, mask, m_invSrcIp);
        if (!IpchainsParser::ParseHostNetworkMask(m_dstHost, address, mask, error))
        {
            return Fail(error);
        }
        rule.SetDestination(address, mask, m_invDstIp);

        if (m_protocol == FirewallRule::PROTO_ICMP)
        {
            if (!ParseIcmp(rule))
            {
                return false;
            }
        }
        else
        {
            uint16_t min = 0;
            uint16_t max = FirewallRule::PORT_MAX;
            if (m_options & OPT_SRCPT)
            {
                if (!IpchainsParser::ParsePorts(m_srcPorts, m_protocol, min, max, error))
                {
                    return Fail(error);
                }
            }
            rule.SetSourcePorts(min, max, m_invSrcPt);
            min = 0;
            max = FirewallRule::PORT_MAX;
            if (m_options & OPT_DSTPT)
            {
                if (!IpchainsParser::ParsePorts(m_dstPorts, m_protocol, min, max, error))
                {
                    return Fail(error);
                }
            }
            rule.SetDestinationPorts(min, max, m_invDstPt);
        }

        // Ports parsed, ipchains.c then refuses them without one protocol.
        if ((m_protocol == FirewallRule::PROTO_ALL || m_invProto) &&
            (m_options & (OPT_SRCPT | OPT_DSTPT)))
        {
            return Fail("no ports allowed without specific protocol");
        }

        rule.SetInterface(m_interface, m_invVia);
        if (m_options & OPT_FRAGMENT)
        {
            rule.SetFragment(m_invFrag ? FirewallRule::INVERTED : FirewallRule::SET);
        }
        if (m_options & OPT_TCPSYN)
        {
            rule.SetSyn(m_invSyn ? FirewallRule::INVERTED : FirewallRule::SET);
        }
        rule.SetTos(m_tosAnd, m_tosXor);
        rule.SetLog((m_options & OPT_PRINTK) != 0);
        rule.SetMark(m_markOp, m_mark);
        rule.SetTargetName(m_jump, 0);
        if (rule.GetTarget() == FirewallRule::DIVERT)
        {
            // With the divert patch, -j DIVERT always names its port.
            if (!m_haveTargetPort)
            {
                return Fail("-j DIVERT requires a port number");
            }
            long long port = StringToNumber(m_targetPort, 1, 65535);
            if (port < 0)
            {
                return Fail("invalid divert port `" + m_targetPort + "' specified");
            }
            rule.SetDivert(static_cast<uint16_t>(port));
        }

        // One validation path: the checks a typed rule goes through too.
        // The fragment checks of ipchains.c look at whether the option was
        // given ("-f --dport 0:65535" is refused), the model at the values.
        std::string invalid = rule.Validate();
        if (invalid.empty() && (m_options & OPT_FRAGMENT) && !m_invFrag &&
            (m_options & (OPT_SRCPT | OPT_DSTPT)))
        {
            invalid = "no ports allowed with -f";
        }
        if (!invalid.empty())
        {
            return Fail(invalid);
        }

        if (checking)
        {
            bool ported = m_protocol == FirewallRule::PROTO_TCP ||
                          m_protocol == FirewallRule::PROTO_UDP ||
                          m_protocol == FirewallRule::PROTO_ICMP;
            if (m_protocol == FirewallRule::PROTO_ALL)
            {
                // ipchains(8): "All may not be used in combination with the
                // check command."
                return Fail("protocol `all' may not be used with -C");
            }
            if (ported && !(m_options & OPT_FRAGMENT) &&
                (!(m_options & OPT_SRCPT) || rule.GetSourcePortMin() != rule.GetSourcePortMax() ||
                 !(m_options & OPT_DSTPT) ||
                 rule.GetDestinationPortMin() != rule.GetDestinationPortMax()))
            {
                return Fail("one port required with source/destination address for -C");
            }
            if (m_invSrcIp || m_invDstIp || m_invProto || m_invSyn || m_invVia || m_invFrag ||
                m_invSrcPt || m_invDstPt)
            {
                return Fail("! not allowed with -C");
            }
        }

        if (rule.GetTarget() == FirewallRule::REDIRECT && m_haveTargetPort)
        {
            uint16_t port = 0;
            if (!ParsePort(m_targetPort, m_protocol, port, error))
            {
                return Fail(error);
            }
            rule.SetRedirect(port);
        }
    }

    switch (m_command)
    {
    case CMD_APPEND:
        command.kind = IpchainsCommand::APPEND;
        break;
    case CMD_INSERT:
        command.kind = IpchainsCommand::INSERT;
        break;
    case CMD_DELETE:
        command.kind = IpchainsCommand::DELETE;
        break;
    case CMD_DELETE_NUM:
        command.kind = IpchainsCommand::DELETE_NUM;
        break;
    case CMD_REPLACE:
        command.kind = IpchainsCommand::REPLACE;
        break;
    case CMD_LIST:
        command.kind = IpchainsCommand::LIST;
        break;
    case CMD_LIST | CMD_ZERO:
        command.kind = IpchainsCommand::LIST;
        command.zero = true;
        break;
    case CMD_FLUSH:
        command.kind = IpchainsCommand::FLUSH;
        break;
    case CMD_ZERO:
        command.kind = IpchainsCommand::ZERO;
        break;
    case CMD_NEW_CHAIN:
        command.kind = IpchainsCommand::NEW_CHAIN;
        break;
    case CMD_DELETE_CHAIN:
        command.kind = IpchainsCommand::DELETE_CHAIN;
        break;
    case CMD_SET_POLICY:
        command.kind = IpchainsCommand::SET_POLICY;
        break;
    case CMD_CHECK:
        command.kind = IpchainsCommand::CHECK;
        break;
    default:
        return Fail("no command specified");
    }

    command.chain = m_haveChain ? m_chain : "";
    command.ruleNumber = m_ruleNumber;
    command.bidirectional = (m_options & OPT_BIDIR) != 0;
    command.verbose = (m_options & OPT_VERBOSE) != 0;
    command.numeric = (m_options & OPT_NUMERIC) != 0;
    command.exact = (m_options & OPT_EXPANDED) != 0;
    command.lineNumbers = (m_options & OPT_LINENUMBERS) != 0;
    command.noWarnings = m_noWarnings;
    command.policy = m_policy;

    if (checking)
    {
        // The packet ipchains builds for IP_FW_CHECK (libipfwc
        // fw_to_fwtest): one address each way, the first port of each
        // range, SYN if -y, a non-first fragment if -f.
        FirewallPacket& p = command.packet;
        p.source = rule.GetSource();
        p.destination = rule.GetDestination();
        p.protocol = rule.GetProtocol();
        p.fragment = rule.GetFragment() == FirewallRule::SET;
        p.hasPorts = !p.fragment && (p.protocol == FirewallRule::PROTO_TCP ||
                                     p.protocol == FirewallRule::PROTO_UDP ||
                                     p.protocol == FirewallRule::PROTO_ICMP);
        p.sourcePort = p.hasPorts ? rule.GetSourcePortMin() : 0;
        p.destinationPort = p.hasPorts ? rule.GetDestinationPortMin() : 0;
        p.syn = rule.GetSyn() == FirewallRule::SET;
        p.interface = m_interface;
        if (!p.interface.empty() && p.interface.back() == '+')
        {
            p.interface.pop_back();
        }
        p.tos = 0;
        p.mark = 0;
        p.size = 0;
    }
    return true;
}

bool
ParseState::Run(IpchainsCommand& command, std::string& error)
{
    while (m_next < m_args.size() && !m_done)
    {
        const std::string& word = m_args[m_next++];
        bool ok = true;
        if (word == "!")
        {
            if (m_invert)
            {
                ok = Fail("multiple consecutive ! not allowed");
            }
            m_invert = true;
            if (ok)
            {
                continue;
            }
        }
        else if (word.size() > 2 && word[0] == '-' && word[1] == '-')
        {
            ok = HandleLong(word);
        }
        else if (word.size() > 1 && word[0] == '-' && word != "--")
        {
            ok = HandleShort(word);
        }
        else
        {
            ok = Fail("Bad argument `" + word + "'");
        }
        if (!ok)
        {
            error = m_error;
            return false;
        }
        // ipchains.c clears a pending `!` after every option that used it;
        // one left over by an option that could not take it is an error.
        if (m_invert && word != "!")
        {
            // SetOption consumed it when legal; reaching here means the
            // option ignored it (a command word or -h/-V).
            if (!m_done)
            {
                error = "unexpected ! flag";
                return false;
            }
        }
    }
    if (!Finish(command))
    {
        error = m_error;
        return false;
    }
    return true;
}

} // namespace

bool
IpchainsParser::Parse(const std::string& line, IpchainsCommand& command, std::string& error)
{
    NS_LOG_FUNCTION(line);
    return ParseArguments(Tokenize(line), command, error);
}

bool
IpchainsParser::ParseArguments(const std::vector<std::string>& args,
                               IpchainsCommand& command,
                               std::string& error)
{
    ParseState state(args);
    error.clear();
    bool ok = state.Run(command, error);
    NS_LOG_LOGIC("parse " << (ok ? "ok" : "failed: " + error));
    return ok;
}

std::vector<std::string>
IpchainsParser::Tokenize(const std::string& line)
{
    std::vector<std::string> words;
    std::istringstream is(line);
    std::string word;
    while (is >> word)
    {
        words.push_back(word);
    }
    if (!words.empty())
    {
        const std::string& first = words.front();
        std::size_t slash = first.rfind('/');
        std::string base = (slash == std::string::npos) ? first : first.substr(slash + 1);
        if (base == "ipchains")
        {
            words.erase(words.begin());
        }
    }
    return words;
}

bool
IpchainsParser::ParseHostNetworkMask(const std::string& text,
                                     Ipv4Address& address,
                                     Ipv4Mask& mask,
                                     std::string& error)
{
    std::string host = text;
    uint32_t maskBits = 0xFFFFFFFF; // no mask at all means 32 bits
    std::size_t slash = text.rfind('/');
    if (slash != std::string::npos)
    {
        host = text.substr(0, slash);
        std::string maskText = text.substr(slash + 1);
        uint32_t dotted = 0;
        if (DottedToAddress(maskText, dotted))
        {
            maskBits = dotted;
        }
        else
        {
            long long bits = StringToNumber(maskText, 0, 32);
            if (bits < 0)
            {
                error = "invalid mask `" + maskText + "' specified";
                return false;
            }
            maskBits = (bits == 0) ? 0 : (0xFFFFFFFFU << (32 - bits));
        }
    }
    // With a null mask the name is ignored, as in "any/0".
    if (maskBits == 0)
    {
        host = "0.0.0.0";
    }
    uint32_t value = 0;
    if (!DottedToAddress(host, value))
    {
        // No name service in a simulation: only the loopback name is known.
        if (host == "localhost")
        {
            value = 0x7F000001;
        }
        else
        {
            error = "host/network `" + host + "' not found";
            return false;
        }
    }
    mask = Ipv4Mask(maskBits);
    address = Ipv4Address(value & maskBits);
    return true;
}

bool
IpchainsParser::ParseProtocol(const std::string& text, uint8_t& protocol, std::string& error)
{
    // ipchains.c parse_protocol: a number first, then a name. Numbers above
    // 255 are refused here: an IPv4 protocol field has 8 bits.
    long long n = StringToNumber(text, 0, 255);
    if (n >= 0)
    {
        protocol = static_cast<uint8_t>(n);
        return true;
    }
    if (IpchainsNames::NameToProtocol(text, protocol))
    {
        return true;
    }
    error = "unknown protocol `" + text + "' specified";
    return false;
}

bool
IpchainsParser::ParsePorts(const std::string& text,
                           uint8_t protocol,
                           uint16_t& min,
                           uint16_t& max,
                           std::string& error)
{
    std::size_t colon = text.find(':');
    if (colon == std::string::npos)
    {
        uint16_t port = 0;
        if (!ParsePort(text, protocol, port, error))
        {
            return false;
        }
        min = port;
        max = port;
        return true;
    }
    std::string first = text.substr(0, colon);
    std::string last = text.substr(colon + 1);
    min = 0;
    max = FirewallRule::PORT_MAX;
    if (!first.empty() && !ParsePort(first, protocol, min, error))
    {
        return false;
    }
    if (!last.empty() && !ParsePort(last, protocol, max, error))
    {
        return false;
    }
    return true;
}

std::string
IpchainsParser::ProtocolToName(uint8_t protocol)
{
    return IpchainsNames::ProtocolToName(protocol);
}

std::string
IpchainsParser::PortToService(uint16_t port, uint8_t protocol)
{
    return IpchainsNames::PortToService(port, protocol);
}

std::string
IpchainsParser::IcmpToName(uint16_t typeMin, uint16_t typeMax, uint16_t codeMin, uint16_t codeMax)
{
    return IpchainsNames::IcmpToName(typeMin, typeMax, codeMin, codeMax);
}

std::string
IpchainsParser::IcmpHelp()
{
    return IpchainsNames::IcmpHelp();
}

std::string
IpchainsParser::Usage()
{
    return "Usage: ipchains -[ADC] chain rule-specification [options]\n"
           "       ipchains -[RI] chain rulenum rule-specification [options]\n"
           "       ipchains -D chain rulenum [options]\n"
           "       ipchains -[LFZNX] [chain] [options]\n"
           "       ipchains -P chain target [options]\n"
           "       ipchains -h [icmp]\n"
           "Rule: [-p [!] proto] [-s [!] addr[/mask] [[!] port[:port]]]\n"
           "      [-d [!] addr[/mask] [[!] port[:port]]] [--sport|--dport [!] port[:port]]\n"
           "      [--icmp-type [!] type] [-i [!] name[+]] [[!] -f] [[!] -y] [-b]\n"
           "      [-t and xor] [-l] [-m [+-]mark]\n"
           "      [-j ACCEPT|DENY|REJECT|RETURN|MASQ|REDIRECT [port]|DIVERT port|chain]\n"
           "List options: -v -n -x --line-numbers\n";
}

} // namespace ns3
