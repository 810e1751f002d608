/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Fragment regression suite runner.
//
// Reads suite files (test/fragment-suite/*.txt, format in
// test/fragment-suite/README.md) and, for each case and each overlap policy
// it names, builds
//
//   h0 (10.1.1.1) ---- r (10.1.1.2 | 10.1.2.1) ---- h1 (10.1.2.2)
//        left link, MTU 1500          right link, MTU of the case
//
// with the divert stack on every node, configures the reassemblers, and
// injects the case's fragments through a divert socket: inbound on h1 (the
// receiving host) or inbound on r (forwarding and DF cases), as if they had
// arrived on the interface whose address is the SendTo destination (SPEC
// section 4). Every fragment has source h0 and destination h1. The runner
// then observes
//
//  - what h1 hands to its transport layer (the "LocalDeliver" trace source,
//    after reassembly) and, for UDP, what a UDP socket bound to the
//    destination port receives;
//  - the reassembler counters of r and h1, and the "too big" counters;
//  - the ICMP messages that come back to h0 (a raw ICMP socket);
//  - the errors SendTo reports;
//  - the IP options of every datagram h1's IPv4 layer receives (its "Rx"
//    trace source sees the header as on the wire);
//
// compares them with the case's expectations and prints one row per case,
// one column per policy. The exit code is 1 if anything failed, 2 if a suite
// file is malformed (the message names the file, the line and the word).
//
// Run: divert-fragment-suite-runner [--suite=<file or directory>]
//        [--case=<name>] [--policy=<name>] [--verbose]
//        [--hex] [--pcap=<prefix>]
//
// --hex prints every injected and delivered datagram as hex; --pcap writes a
// device capture of both links for each run (<prefix>-<case>-<policy>-left.pcap
// from h0's device, -right.pcap from r's device towards h1).

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

using Bytes = std::vector<uint8_t>;

/// Largest payload offset the 13-bit fragment offset field can express (RFC 791).
constexpr uint32_t MAX_OFFSET = 8191 * 8;

const Ipv4Address H0_ADDRESS("10.1.1.1");
const Ipv4Address R_LEFT_ADDRESS("10.1.1.2");
const Ipv4Address H1_ADDRESS("10.1.2.2");

/// The overlap policies, in the order of the Ipv4Reassembler::OverlapPolicy enum.
std::vector<std::string>
AllPolicies()
{
    std::vector<std::string> names;
    for (int p = Ipv4Reassembler::FIRST; p <= Ipv4Reassembler::DROP_ON_OVERLAP; ++p)
    {
        names.push_back(
            Ipv4Reassembler::OverlapPolicyToString(static_cast<Ipv4Reassembler::OverlapPolicy>(p)));
    }
    return names;
}

/// Reasons a `dropped` expectation may name, and where each is counted.
const std::vector<std::string> DROP_REASONS =
    {"overlap", "oversize", "timeout", "evicted", "tiny", "invalid", "toobig"};

/// Errors a `refused` expectation may name.
const std::map<std::string, Socket::SocketErrno> ERRNO_NAMES = {
    {"opnotsupp", Socket::ERROR_OPNOTSUPP},
    {"inval", Socket::ERROR_INVAL},
    {"msgsize", Socket::ERROR_MSGSIZE},
    {"addrnotavail", Socket::ERROR_ADDRNOTAVAIL},
    {"noroutetohost", Socket::ERROR_NOROUTETOHOST},
};

std::string
ErrnoName(Socket::SocketErrno e)
{
    for (const auto& entry : ERRNO_NAMES)
    {
        if (entry.second == e)
        {
            return entry.first;
        }
    }
    return "errno" + std::to_string(static_cast<int>(e));
}

// --- Suite files ------------------------------------------------------------

/// A malformed suite line: names the file, the line and the offending word.
class ParseError : public std::runtime_error
{
  public:
    ParseError(const std::string& file,
               uint32_t line,
               const std::string& message,
               const std::string& word)
        : std::runtime_error(file + ":" + std::to_string(line) + ": " + message +
                             (word.empty() ? std::string() : ": '" + word + "'"))
    {
    }
};

/// One fragment to inject.
struct Fragment
{
    uint32_t offset{0};    //!< payload offset in bytes (multiple of 8)
    Bytes data;            //!< payload
    bool mf{false};        //!< more fragments
    bool df{false};        //!< don't fragment
    uint16_t id{1};        //!< identification
    uint8_t ttl{64};       //!< time to live
    uint8_t protocol{253}; //!< protocol (RFC 3692 experimental by default)
    Time time{Seconds(0)}; //!< injection time
    bool atRouter{false};  //!< injected inbound at r instead of h1
    Bytes options;         //!< IP options (IHL > 5)
    uint32_t line{0};      //!< line of the suite file
};

/// An ICMP message expected back at h0.
struct IcmpItem
{
    uint8_t type{0}; //!< type
    uint8_t code{0}; //!< code
    int32_t mtu{-1}; //!< next-hop MTU, -1 if not checked
};

/// Header fields checked on every delivered datagram (-1: not checked).
struct HeaderCheck
{
    std::map<std::string, int64_t> fields; //!< field name -> value
    bool checkOptions{false};              //!< options= was given
    Bytes options;                         //!< the IP options expected
};

/// What one `expect` line says.
struct ExpectLine
{
    enum Kind
    {
        DELIVERED,
        DROPPED,
        REFUSED,
        ICMP,
        HEADER,
        ARRIVED
    };

    Kind kind{DELIVERED};           //!< what it expects
    bool all{true};                 //!< applies to every policy not named elsewhere
    std::set<std::string> policies; //!< the policies it names (all == false)
    Bytes payload;                  //!< DELIVERED
    std::string reason;             //!< DROPPED reason or REFUSED errno
    uint32_t count{1};              //!< DROPPED, REFUSED
    std::vector<IcmpItem> icmp;     //!< ICMP (empty: none)
    HeaderCheck header;             //!< HEADER
    std::vector<Bytes> arrived;     //!< ARRIVED: options of each datagram
    uint32_t line{0};               //!< line of the suite file
};

/// One case of the suite.
struct Case
{
    std::string file;                       //!< suite file
    uint32_t line{0};                       //!< line of `case`
    std::string name;                       //!< unique name
    std::string description;                //!< what it is about
    std::vector<std::string> policies;      //!< policies to run
    Time timeout{Seconds(30)};              //!< Ipv4Reassembler::Timeout
    bool refreshTimer{true};                //!< Ipv4Reassembler::RefreshTimer
    uint32_t high{262144};                  //!< Ipv4Reassembler::HighThreshold
    uint32_t low{196608};                   //!< Ipv4Reassembler::LowThreshold
    uint32_t overhead{192};                 //!< Ipv4Reassembler::FragmentOverhead
    bool tinyCheck{false};                  //!< Ipv4Reassembler::TinyFragmentCheck
    bool alwaysDefragment{false};           //!< DivertIpv4L3Protocol::AlwaysDefragment
    std::string fragmentOptions{"NopFill"}; //!< DivertIpv4L3Protocol::FragmentOptions
    uint16_t mtu{1500};                     //!< MTU of the right link
    std::vector<Fragment> fragments;        //!< the train
    std::vector<ExpectLine> expects;        //!< expectations
};

/// The expectations that apply to one policy.
struct Expected
{
    std::vector<Bytes> delivered;            //!< payloads, in order
    std::map<std::string, uint32_t> dropped; //!< reason -> count
    std::map<std::string, uint32_t> refused; //!< errno -> count
    std::vector<IcmpItem> icmp;              //!< ICMP messages, in order
    std::vector<HeaderCheck> headers;        //!< checks on delivered headers
    bool checkArrived{false};                //!< an `arrived` line applies
    std::vector<Bytes> arrived;              //!< options of the datagrams h1 received
};

/// Parses suite files.
class SuiteParser
{
  public:
    /// Parse a file; append its cases.
    void ParseFile(const std::string& path, std::vector<Case>& cases);

  private:
    /// Throw a ParseError at the current line.
    [[noreturn]] void Fail(const std::string& message, const std::string& word) const
    {
        throw ParseError(m_file, m_line, message, word);
    }

    /// A decimal number no larger than max; `what` names it in errors.
    uint64_t Number(const std::string& word, uint64_t max, const std::string& what) const;
    /// `on` or `off`.
    bool OnOff(const std::string& word) const;
    /// `0` or `1` for the fragment key `key`.
    bool Flag(const std::string& word, const std::string& key) const;
    /// `0`, or a decimal number with the unit s, ms or us.
    Time ParseTime(const std::string& word) const;
    /// A payload in the suite's notation.
    Bytes Payload(const std::string& word) const;
    /// Hex digits (an even number); `word` is quoted in errors.
    Bytes Hex(const std::string& digits, const std::string& word) const;
    /**
     * IP options as the suite writes them: `none` or `hex:<digits>`, a
     * multiple of 4 bytes, at most 40 (RFC 791).
     * \param value the value
     * \param word the word, for errors
     * \return the options (empty for none)
     */
    Bytes OptionsValue(const std::string& value, const std::string& word) const;
    /// Split `key=value`.
    std::pair<std::string, std::string> KeyValue(const std::string& word) const;
    /// `all` or a comma-separated list of known policies.
    void ParsePolicies(const std::string& word, bool& all, std::set<std::string>& names) const;
    /// Set one fragment key (frag, frags and defaults lines).
    void SetFragmentKey(Fragment& f,
                        const std::string& key,
                        const std::string& value,
                        const std::string& word) const;
    /// A `frag` line.
    void ParseFrag(const std::vector<std::string>& words, Case& c);
    /// A `frags` line.
    void ParseFrags(const std::vector<std::string>& words, Case& c);
    /// An `expect` line.
    void ParseExpect(const std::vector<std::string>& words, Case& c);
    /// A `memory` line.
    void ParseMemory(const std::vector<std::string>& words, Case& c);
    /// Checks at `end`: description, fragments, an outcome for every policy.
    void FinishCase(Case& c);

    std::string m_file;           //!< current file
    uint32_t m_line{0};           //!< current line
    Fragment m_defaults;          //!< `defaults` of the current case
    std::set<std::string> m_seen; //!< settings given in the current case
};

uint64_t
SuiteParser::Number(const std::string& word, uint64_t max, const std::string& what) const
{
    if (word.empty() || word.size() > 12 ||
        !std::all_of(word.begin(), word.end(), [](char ch) { return std::isdigit(ch); }))
    {
        Fail("expected a decimal number (" + what + ")", word);
    }
    uint64_t v = std::stoull(word);
    if (v > max)
    {
        Fail(what + " out of range (at most " + std::to_string(max) + ")", word);
    }
    return v;
}

bool
SuiteParser::OnOff(const std::string& word) const
{
    if (word == "on")
    {
        return true;
    }
    if (word == "off")
    {
        return false;
    }
    Fail("expected on or off", word);
}

bool
SuiteParser::Flag(const std::string& word, const std::string& key) const
{
    if (word == "1")
    {
        return true;
    }
    if (word == "0")
    {
        return false;
    }
    Fail("expected 0 or 1 for " + key, word);
}

Time
SuiteParser::ParseTime(const std::string& word) const
{
    if (word == "0")
    {
        return Seconds(0);
    }
    size_t unit = word.find_first_not_of("0123456789.");
    if (unit == 0 || unit == std::string::npos)
    {
        Fail("expected a time with a unit (s, ms, us)", word);
    }
    const std::string number = word.substr(0, unit);
    const std::string suffix = word.substr(unit);
    if (std::count(number.begin(), number.end(), '.') > 1 || number.front() == '.' ||
        number.back() == '.')
    {
        Fail("malformed time", word);
    }
    // Exact arithmetic: integer and fraction parts in nanoseconds.
    int64_t scale = 0;
    if (suffix == "s")
    {
        scale = 1000000000;
    }
    else if (suffix == "ms")
    {
        scale = 1000000;
    }
    else if (suffix == "us")
    {
        scale = 1000;
    }
    else
    {
        Fail("unknown time unit (s, ms, us)", word);
    }
    const size_t dot = number.find('.');
    const std::string whole = number.substr(0, dot);
    std::string fraction = dot == std::string::npos ? "" : number.substr(dot + 1);
    if (whole.size() > 7 || fraction.size() > 9)
    {
        Fail("time out of range", word);
    }
    int64_t ns = std::stoll(whole) * scale;
    int64_t unitScale = scale;
    for (char ch : fraction)
    {
        unitScale /= 10;
        if (unitScale == 0 && ch != '0')
        {
            Fail("time finer than a nanosecond", word);
        }
        ns += (ch - '0') * unitScale;
    }
    return NanoSeconds(ns);
}

Bytes
SuiteParser::Hex(const std::string& digits, const std::string& word) const
{
    if (digits.empty() || digits.size() % 2 != 0)
    {
        Fail("hex needs an even, non-zero number of digits", word);
    }
    Bytes out;
    for (size_t i = 0; i < digits.size(); i += 2)
    {
        if (!std::isxdigit(digits[i]) || !std::isxdigit(digits[i + 1]))
        {
            Fail("not a hex digit", word);
        }
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    return out;
}

// Payload notation: items joined by '+': `c*n` (character c, n times),
// `hex:<digits>[*n]`, `text:<characters>`, `seq:<n>` (bytes 0, 1, ... 255,
// 0, ... n bytes), `blocks:<letters>` (each letter 8 times, the notation of
// Suricata's defrag tests) and `empty`.
Bytes
SuiteParser::Payload(const std::string& word) const
{
    if (word.empty())
    {
        Fail("missing payload", word);
    }
    Bytes out;
    size_t start = 0;
    while (start <= word.size())
    {
        size_t plus = word.find('+', start);
        if (plus == std::string::npos)
        {
            plus = word.size();
        }
        const std::string item = word.substr(start, plus - start);
        if (item.empty())
        {
            Fail("empty payload item", word);
        }
        if (item == "empty")
        {
            if (word != "empty")
            {
                Fail("'empty' must stand alone", word);
            }
        }
        else if (item.rfind("hex:", 0) == 0)
        {
            std::string digits = item.substr(4);
            uint64_t repeat = 1;
            const size_t star = digits.find('*');
            if (star != std::string::npos)
            {
                repeat = Number(digits.substr(star + 1), 65535, "repeat count");
                digits = digits.substr(0, star);
            }
            const Bytes bytes = Hex(digits, item);
            for (uint64_t r = 0; r < repeat; ++r)
            {
                out.insert(out.end(), bytes.begin(), bytes.end());
            }
        }
        else if (item.rfind("text:", 0) == 0)
        {
            const std::string text = item.substr(5);
            if (text.empty())
            {
                Fail("empty text", item);
            }
            out.insert(out.end(), text.begin(), text.end());
        }
        else if (item.rfind("seq:", 0) == 0)
        {
            const uint64_t n = Number(item.substr(4), 65535, "seq length");
            if (n == 0)
            {
                Fail("seq length must be positive", item);
            }
            for (uint64_t i = 0; i < n; ++i)
            {
                out.push_back(static_cast<uint8_t>(i & 0xff));
            }
        }
        else if (item.rfind("blocks:", 0) == 0)
        {
            const std::string letters = item.substr(7);
            if (letters.empty())
            {
                Fail("empty blocks", item);
            }
            for (char ch : letters)
            {
                out.insert(out.end(), 8, static_cast<uint8_t>(ch));
            }
        }
        else if (item.size() >= 3 && item[1] == '*')
        {
            const uint64_t n = Number(item.substr(2), 65535, "repeat count");
            if (n == 0)
            {
                Fail("repeat count must be positive", item);
            }
            out.insert(out.end(), n, static_cast<uint8_t>(item[0]));
        }
        else
        {
            Fail("unknown payload item (c*n, hex:, text:, seq:, blocks:, empty)", item);
        }
        if (out.size() > 65535)
        {
            Fail("payload longer than 65535 bytes", word);
        }
        start = plus + 1;
    }
    return out;
}

Bytes
SuiteParser::OptionsValue(const std::string& value, const std::string& word) const
{
    if (value == "none")
    {
        return {};
    }
    if (value.rfind("hex:", 0) != 0)
    {
        Fail("options must be none or hex:<digits>", word);
    }
    const Bytes options = Hex(value.substr(4), word);
    if (options.size() % 4 != 0 || options.size() > 40)
    {
        Fail("options must be a multiple of 4 bytes, at most 40 (RFC 791)", word);
    }
    return options;
}

std::pair<std::string, std::string>
SuiteParser::KeyValue(const std::string& word) const
{
    const size_t eq = word.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == word.size())
    {
        Fail("expected key=value", word);
    }
    return {word.substr(0, eq), word.substr(eq + 1)};
}

void
SuiteParser::ParsePolicies(const std::string& word, bool& all, std::set<std::string>& names) const
{
    names.clear();
    all = word == "all";
    if (all)
    {
        return;
    }
    const std::vector<std::string> known = AllPolicies();
    std::stringstream ss(word);
    std::string name;
    while (std::getline(ss, name, ','))
    {
        if (std::find(known.begin(), known.end(), name) == known.end())
        {
            Fail("unknown overlap policy", name.empty() ? word : name);
        }
        if (!names.insert(name).second)
        {
            Fail("policy named twice", name);
        }
    }
    if (names.empty() || word.back() == ',')
    {
        Fail("malformed policy list", word);
    }
}

void
SuiteParser::SetFragmentKey(Fragment& f,
                            const std::string& key,
                            const std::string& value,
                            const std::string& word) const
{
    if (key == "offset")
    {
        f.offset = Number(value, MAX_OFFSET, "offset");
        if (f.offset % 8 != 0)
        {
            Fail("offset must be a multiple of 8 bytes (RFC 791)", word);
        }
    }
    else if (key == "data")
    {
        f.data = Payload(value);
    }
    else if (key == "mf")
    {
        f.mf = Flag(value, key);
    }
    else if (key == "df")
    {
        f.df = Flag(value, key);
    }
    else if (key == "id")
    {
        f.id = Number(value, 65535, "id");
    }
    else if (key == "ttl")
    {
        f.ttl = Number(value, 255, "ttl");
    }
    else if (key == "proto")
    {
        f.protocol = Number(value, 255, "proto");
    }
    else if (key == "time")
    {
        f.time = ParseTime(value);
    }
    else if (key == "at")
    {
        if (value != "host" && value != "router")
        {
            Fail("at must be host or router", word);
        }
        f.atRouter = value == "router";
    }
    else if (key == "options")
    {
        f.options = OptionsValue(value, word);
    }
    else
    {
        Fail("unknown fragment key", key);
    }
}

void
SuiteParser::ParseFrag(const std::vector<std::string>& words, Case& c)
{
    Fragment f = m_defaults;
    f.line = m_line;
    std::set<std::string> keys;
    for (size_t i = 1; i < words.size(); ++i)
    {
        auto kv = KeyValue(words[i]);
        if (!keys.insert(kv.first).second)
        {
            Fail("key given twice", words[i]);
        }
        SetFragmentKey(f, kv.first, kv.second, words[i]);
    }
    for (const char* required : {"offset", "data"})
    {
        if (!keys.count(required))
        {
            Fail(std::string("frag needs ") + required + "=", words[0]);
        }
    }
    if (20 + f.options.size() + f.data.size() > 65535)
    {
        Fail("fragment larger than an IPv4 datagram can be", words[0]);
    }
    c.fragments.push_back(f);
}

void
SuiteParser::ParseFrags(const std::vector<std::string>& words, Case& c)
{
    Fragment f = m_defaults;
    f.line = m_line;
    std::set<std::string> keys;
    uint64_t n = 0;
    uint64_t step = 0;
    uint64_t idStep = 0;
    Time timeStep = Seconds(0);
    for (size_t i = 1; i < words.size(); ++i)
    {
        auto kv = KeyValue(words[i]);
        if (!keys.insert(kv.first).second)
        {
            Fail("key given twice", words[i]);
        }
        if (kv.first == "n")
        {
            n = Number(kv.second, 10000, "n");
            if (n == 0)
            {
                Fail("n must be positive", words[i]);
            }
        }
        else if (kv.first == "step")
        {
            step = Number(kv.second, MAX_OFFSET, "step");
            if (step % 8 != 0)
            {
                Fail("step must be a multiple of 8 bytes", words[i]);
            }
        }
        else if (kv.first == "id-step")
        {
            idStep = Number(kv.second, 65535, "id-step");
        }
        else if (kv.first == "time-step")
        {
            timeStep = ParseTime(kv.second);
        }
        else
        {
            SetFragmentKey(f, kv.first, kv.second, words[i]);
        }
    }
    for (const char* required : {"n", "offset", "data"})
    {
        if (!keys.count(required))
        {
            Fail(std::string("frags needs ") + required + "=", words[0]);
        }
    }
    if (f.offset + (n - 1) * step > MAX_OFFSET)
    {
        Fail("the last fragment's offset passes 65528", words[0]);
    }
    for (uint64_t k = 0; k < n; ++k)
    {
        Fragment g = f;
        g.offset = f.offset + k * step;
        g.id = static_cast<uint16_t>(f.id + k * idStep);
        g.time = f.time + timeStep * static_cast<int64_t>(k);
        c.fragments.push_back(g);
    }
}

void
SuiteParser::ParseMemory(const std::vector<std::string>& words, Case& c)
{
    if (words.size() < 2)
    {
        Fail("memory needs high=, low= or overhead=", words[0]);
    }
    std::set<std::string> keys;
    for (size_t i = 1; i < words.size(); ++i)
    {
        auto kv = KeyValue(words[i]);
        if (!keys.insert(kv.first).second)
        {
            Fail("key given twice", words[i]);
        }
        const uint32_t v = Number(kv.second, 0xffffffffULL, kv.first);
        if (kv.first == "high")
        {
            c.high = v;
        }
        else if (kv.first == "low")
        {
            c.low = v;
        }
        else if (kv.first == "overhead")
        {
            c.overhead = v;
        }
        else
        {
            Fail("unknown memory key (high, low, overhead)", kv.first);
        }
    }
    if (c.low > c.high)
    {
        Fail("low threshold above the high one", words.back());
    }
}

void
SuiteParser::ParseExpect(const std::vector<std::string>& words, Case& c)
{
    if (words.size() < 3)
    {
        Fail("expect needs a policy list and an outcome", words.back());
    }
    ExpectLine e;
    e.line = m_line;
    ParsePolicies(words[1], e.all, e.policies);
    for (const auto& p : e.policies)
    {
        if (std::find(c.policies.begin(), c.policies.end(), p) == c.policies.end())
        {
            Fail("the case does not run this policy", p);
        }
    }
    const std::string& what = words[2];
    auto countOf = [this](const std::string& word, std::string& name) -> uint32_t {
        const size_t star = word.find('*');
        name = word.substr(0, star);
        if (star == std::string::npos)
        {
            return 1;
        }
        const uint32_t n = Number(word.substr(star + 1), 100000, "count");
        if (n == 0)
        {
            Fail("count must be positive", word);
        }
        return n;
    };
    if (what == "delivered")
    {
        if (words.size() != 4)
        {
            Fail("delivered takes one payload word", words.size() > 4 ? words[4] : what);
        }
        e.kind = ExpectLine::DELIVERED;
        e.payload = Payload(words[3]);
    }
    else if (what == "dropped")
    {
        if (words.size() != 4)
        {
            Fail("dropped takes one reason", words.size() > 4 ? words[4] : what);
        }
        e.kind = ExpectLine::DROPPED;
        e.count = countOf(words[3], e.reason);
        if (std::find(DROP_REASONS.begin(), DROP_REASONS.end(), e.reason) == DROP_REASONS.end())
        {
            Fail("unknown drop reason (overlap, oversize, timeout, evicted, tiny, invalid, "
                 "toobig)",
                 e.reason);
        }
    }
    else if (what == "refused")
    {
        if (words.size() != 4)
        {
            Fail("refused takes one error name", words.size() > 4 ? words[4] : what);
        }
        e.kind = ExpectLine::REFUSED;
        e.count = countOf(words[3], e.reason);
        if (!ERRNO_NAMES.count(e.reason))
        {
            Fail("unknown error (opnotsupp, inval, msgsize, addrnotavail, noroutetohost)",
                 e.reason);
        }
    }
    else if (what == "icmp")
    {
        e.kind = ExpectLine::ICMP;
        if (words.size() == 4 && words[3] == "none")
        {
            // no message
        }
        else
        {
            // mtu= applies to the messages of the type/code word just before it.
            size_t groupStart = 0;
            bool mtuAllowed = false;
            for (size_t i = 3; i < words.size(); ++i)
            {
                const std::string& w = words[i];
                if (w.rfind("mtu=", 0) == 0)
                {
                    if (!mtuAllowed)
                    {
                        Fail("mtu= must follow an ICMP type/code", w);
                    }
                    const int32_t mtu = Number(w.substr(4), 65535, "mtu");
                    for (size_t k = groupStart; k < e.icmp.size(); ++k)
                    {
                        e.icmp[k].mtu = mtu;
                    }
                    mtuAllowed = false;
                    continue;
                }
                groupStart = e.icmp.size();
                mtuAllowed = true;
                std::string typeCode;
                const uint32_t n = countOf(w, typeCode);
                const size_t slash = typeCode.find('/');
                if (slash == std::string::npos || w == "none")
                {
                    Fail("expected none or <type>/<code>[*n] [mtu=<n>]", w);
                }
                IcmpItem item;
                item.type = Number(typeCode.substr(0, slash), 255, "ICMP type");
                item.code = Number(typeCode.substr(slash + 1), 255, "ICMP code");
                e.icmp.insert(e.icmp.end(), n, item);
            }
        }
    }
    else if (what == "arrived")
    {
        e.kind = ExpectLine::ARRIVED;
        if (words.size() < 4)
        {
            Fail("arrived needs the options of at least one datagram", what);
        }
        for (size_t i = 3; i < words.size(); ++i)
        {
            std::string item;
            const uint32_t n = countOf(words[i], item);
            e.arrived.insert(e.arrived.end(), n, OptionsValue(item, words[i]));
        }
    }
    else if (what == "header")
    {
        e.kind = ExpectLine::HEADER;
        if (words.size() < 4)
        {
            Fail("header needs at least one field", what);
        }
        for (size_t i = 3; i < words.size(); ++i)
        {
            auto kv = KeyValue(words[i]);
            if (kv.first == "options")
            {
                if (e.header.checkOptions)
                {
                    Fail("field given twice", words[i]);
                }
                e.header.checkOptions = true;
                e.header.options = OptionsValue(kv.second, words[i]);
                continue;
            }
            static const std::map<std::string, uint64_t> limits = {{"ttl", 255},
                                                                   {"mf", 1},
                                                                   {"df", 1},
                                                                   {"offset", MAX_OFFSET},
                                                                   {"length", 65535},
                                                                   {"id", 65535},
                                                                   {"proto", 255}};
            auto limit = limits.find(kv.first);
            if (limit == limits.end())
            {
                Fail("unknown header field (ttl, mf, df, offset, length, id, proto, options)",
                     kv.first);
            }
            if (e.header.fields.count(kv.first))
            {
                Fail("field given twice", words[i]);
            }
            e.header.fields[kv.first] = Number(kv.second, limit->second, kv.first);
        }
    }
    else
    {
        Fail("unknown expectation (delivered, dropped, refused, icmp, header, arrived)", what);
    }
    c.expects.push_back(e);
}

/// Which group of expectations a kind belongs to: a line naming a policy
/// replaces the `all` lines of its group for that policy.
int
GroupOf(ExpectLine::Kind k)
{
    switch (k)
    {
    case ExpectLine::DELIVERED:
    case ExpectLine::DROPPED:
    case ExpectLine::REFUSED:
        return 0;
    case ExpectLine::ICMP:
        return 1;
    case ExpectLine::HEADER:
        return 2;
    case ExpectLine::ARRIVED:
        return 3;
    }
    return 0;
}

/// The expectations of one policy (see GroupOf).
Expected
ExpectationsFor(const Case& c, const std::string& policy)
{
    Expected out;
    for (int group = 0; group < 4; ++group)
    {
        bool named = false;
        for (const auto& e : c.expects)
        {
            named = named || (GroupOf(e.kind) == group && e.policies.count(policy));
        }
        for (const auto& e : c.expects)
        {
            if (GroupOf(e.kind) != group || (named ? !e.policies.count(policy) : !e.all))
            {
                continue;
            }
            switch (e.kind)
            {
            case ExpectLine::DELIVERED:
                out.delivered.push_back(e.payload);
                break;
            case ExpectLine::DROPPED:
                out.dropped[e.reason] += e.count;
                break;
            case ExpectLine::REFUSED:
                out.refused[e.reason] += e.count;
                break;
            case ExpectLine::ICMP:
                out.icmp.insert(out.icmp.end(), e.icmp.begin(), e.icmp.end());
                break;
            case ExpectLine::HEADER:
                out.headers.push_back(e.header);
                break;
            case ExpectLine::ARRIVED:
                out.checkArrived = true;
                out.arrived.insert(out.arrived.end(), e.arrived.begin(), e.arrived.end());
                break;
            }
        }
    }
    return out;
}

void
SuiteParser::FinishCase(Case& c)
{
    if (c.description.empty())
    {
        throw ParseError(m_file, c.line, "case has no description", c.name);
    }
    if (c.fragments.empty())
    {
        throw ParseError(m_file, c.line, "case has no fragments", c.name);
    }
    for (const auto& policy : c.policies)
    {
        bool hasOutcome = false;
        for (const auto& e : c.expects)
        {
            if (GroupOf(e.kind) == 0 && (e.all || e.policies.count(policy)))
            {
                hasOutcome = true;
            }
        }
        if (!hasOutcome)
        {
            throw ParseError(m_file,
                             m_line,
                             "case '" + c.name +
                                 "' expects no outcome (delivered, dropped or "
                                 "refused) for policy",
                             policy);
        }
    }
    // `icmp none` next to other icmp lines for the same policies is a contradiction.
    for (const auto& policy : c.policies)
    {
        int noneLine = 0;
        int otherLine = 0;
        bool named = false;
        for (const auto& e : c.expects)
        {
            named = named || (e.kind == ExpectLine::ICMP && e.policies.count(policy));
        }
        for (const auto& e : c.expects)
        {
            if (e.kind != ExpectLine::ICMP || (named ? !e.policies.count(policy) : !e.all))
            {
                continue;
            }
            (e.icmp.empty() ? noneLine : otherLine) = e.line;
        }
        if (noneLine && otherLine)
        {
            throw ParseError(m_file,
                             std::max(noneLine, otherLine),
                             "'icmp none' contradicts another icmp line for policy",
                             policy);
        }
    }
}

void
SuiteParser::ParseFile(const std::string& path, std::vector<Case>& cases)
{
    std::ifstream in(path);
    if (!in)
    {
        throw ParseError(path, 0, "cannot open suite file", "");
    }
    m_file = path;
    m_line = 0;
    bool open = false;
    Case c;
    std::string text;
    std::set<std::string> names;
    for (const auto& existing : cases)
    {
        names.insert(existing.name);
    }
    while (std::getline(in, text))
    {
        ++m_line;
        std::vector<std::string> words;
        std::istringstream ss(text);
        std::string w;
        while (ss >> w)
        {
            if (w[0] == '#')
            {
                break;
            }
            words.push_back(w);
        }
        if (words.empty())
        {
            continue;
        }
        const std::string& keyword = words[0];
        if (!open)
        {
            if (keyword != "case")
            {
                Fail("expected 'case <name>' outside a case", keyword);
            }
            if (words.size() != 2)
            {
                Fail("case takes exactly one name", words.size() > 2 ? words[2] : keyword);
            }
            const std::string& name = words[1];
            if (!std::all_of(name.begin(), name.end(), [](char ch) {
                    return std::islower(ch) || std::isdigit(ch) || ch == '-';
                }))
            {
                Fail("case names use a-z, 0-9 and '-'", name);
            }
            if (!names.insert(name).second)
            {
                Fail("case name used twice in the suite", name);
            }
            c = Case();
            c.file = path;
            c.line = m_line;
            c.name = name;
            c.policies = AllPolicies();
            m_defaults = Fragment();
            m_seen.clear();
            open = true;
            continue;
        }
        auto once = [&]() {
            if (!m_seen.insert(keyword).second)
            {
                Fail("setting given twice in the case", keyword);
            }
            if (!c.fragments.empty() || !c.expects.empty())
            {
                Fail("settings come before frag and expect lines", keyword);
            }
        };
        auto oneArgument = [&]() -> const std::string& {
            if (words.size() != 2)
            {
                Fail(keyword + " takes one value", words.size() > 2 ? words[2] : keyword);
            }
            return words[1];
        };
        if (keyword == "end")
        {
            if (words.size() != 1)
            {
                Fail("end takes no argument", words[1]);
            }
            FinishCase(c);
            cases.push_back(c);
            open = false;
        }
        else if (keyword == "case")
        {
            Fail("case inside a case (missing 'end')", keyword);
        }
        else if (keyword == "description")
        {
            if (words.size() < 2)
            {
                Fail("empty description", keyword);
            }
            // The text after the keyword, as written (comments excluded).
            std::string rest;
            for (size_t i = 1; i < words.size(); ++i)
            {
                rest += (i > 1 ? " " : "") + words[i];
            }
            c.description += (c.description.empty() ? "" : " ") + rest;
        }
        else if (keyword == "policies")
        {
            once();
            bool all = false;
            std::set<std::string> names;
            ParsePolicies(oneArgument(), all, names);
            if (!all)
            {
                // Keep the canonical order.
                std::vector<std::string> ordered;
                for (const auto& p : AllPolicies())
                {
                    if (names.count(p))
                    {
                        ordered.push_back(p);
                    }
                }
                c.policies = ordered;
            }
        }
        else if (keyword == "timeout")
        {
            once();
            c.timeout = ParseTime(oneArgument());
        }
        else if (keyword == "refresh-timer")
        {
            once();
            c.refreshTimer = OnOff(oneArgument());
        }
        else if (keyword == "tiny-check")
        {
            once();
            c.tinyCheck = OnOff(oneArgument());
        }
        else if (keyword == "always-defragment")
        {
            once();
            c.alwaysDefragment = OnOff(oneArgument());
        }
        else if (keyword == "fragment-options")
        {
            once();
            const std::string& v = oneArgument();
            if (v != "nop-fill" && v != "compact")
            {
                Fail("fragment-options must be nop-fill or compact", v);
            }
            c.fragmentOptions = v == "nop-fill" ? "NopFill" : "Compact";
        }
        else if (keyword == "mtu")
        {
            once();
            const std::string& v = oneArgument();
            c.mtu = Number(v, 65535, "mtu");
            if (c.mtu < Ipv4Fragmenter::MIN_MTU)
            {
                Fail("MTU below 68 bytes (RFC 791)", v);
            }
        }
        else if (keyword == "memory")
        {
            once();
            ParseMemory(words, c);
        }
        else if (keyword == "defaults")
        {
            once();
            std::set<std::string> keys;
            for (size_t i = 1; i < words.size(); ++i)
            {
                auto kv = KeyValue(words[i]);
                if (kv.first == "offset" || kv.first == "data")
                {
                    Fail("defaults cannot set offset or data", words[i]);
                }
                if (!keys.insert(kv.first).second)
                {
                    Fail("key given twice", words[i]);
                }
                SetFragmentKey(m_defaults, kv.first, kv.second, words[i]);
            }
            if (keys.empty())
            {
                Fail("defaults needs key=value words", keyword);
            }
        }
        else if (keyword == "frag")
        {
            if (!c.expects.empty())
            {
                Fail("frag after expect", keyword);
            }
            ParseFrag(words, c);
        }
        else if (keyword == "frags")
        {
            if (!c.expects.empty())
            {
                Fail("frags after expect", keyword);
            }
            ParseFrags(words, c);
        }
        else if (keyword == "expect")
        {
            ParseExpect(words, c);
        }
        else
        {
            Fail("unknown keyword", keyword);
        }
    }
    if (open)
    {
        throw ParseError(path, m_line, "file ends inside case (missing 'end')", c.name);
    }
}

// --- Running a case -----------------------------------------------------------

std::string
ToHex(const Bytes& b)
{
    std::ostringstream os;
    os << std::hex << std::setfill('0');
    for (uint8_t x : b)
    {
        os << std::setw(2) << static_cast<uint32_t>(x);
    }
    return os.str();
}

/// Short notation of bytes in the suite's payload syntax (runs as c*n).
std::string
Describe(const Bytes& b)
{
    if (b.empty())
    {
        return "empty";
    }
    std::ostringstream os;
    Bytes pendingHex;
    bool first = true;
    auto sep = [&]() {
        if (!first)
        {
            os << "+";
        }
        first = false;
    };
    auto flush = [&]() {
        if (!pendingHex.empty())
        {
            sep();
            os << "hex:" << ToHex(pendingHex);
            pendingHex.clear();
        }
    };
    size_t i = 0;
    while (i < b.size())
    {
        size_t j = i;
        while (j < b.size() && b[j] == b[i])
        {
            ++j;
        }
        const size_t run = j - i;
        const bool printable = b[i] > 0x20 && b[i] < 0x7f && b[i] != '+' && b[i] != '#';
        if (printable && (run >= 2 || b.size() == 1))
        {
            flush();
            sep();
            os << static_cast<char>(b[i]) << "*" << run;
        }
        else if (run >= 8)
        {
            flush();
            sep();
            os << "hex:" << ToHex(Bytes{b[i]}) << "*" << run;
        }
        else
        {
            pendingHex.insert(pendingHex.end(), run, b[i]);
        }
        i = j;
    }
    flush();
    std::string text = os.str();
    if (text.size() > 160)
    {
        text = text.substr(0, 150) + "...(" + std::to_string(b.size()) + " bytes)";
    }
    return text;
}

/// The bytes of a fragment as a divert socket sends them: IPv4 header (with
/// options, IHL > 5) and payload; the checksum is the RFC 791 one.
Bytes
BuildDatagram(const Fragment& f)
{
    const uint32_t headerLength = 20 + f.options.size();
    const uint32_t total = headerLength + f.data.size();
    Bytes d(headerLength);
    d[0] = 0x40 | (headerLength / 4);
    d[1] = 0;
    d[2] = total >> 8;
    d[3] = total & 0xff;
    d[4] = f.id >> 8;
    d[5] = f.id & 0xff;
    const uint16_t flagsOffset =
        static_cast<uint16_t>((f.df ? 0x4000 : 0) | (f.mf ? 0x2000 : 0) | (f.offset / 8));
    d[6] = flagsOffset >> 8;
    d[7] = flagsOffset & 0xff;
    d[8] = f.ttl;
    d[9] = f.protocol;
    H0_ADDRESS.Serialize(&d[12]);
    H1_ADDRESS.Serialize(&d[16]);
    std::copy(f.options.begin(), f.options.end(), d.begin() + 20);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < headerLength; i += 2)
    {
        sum += (d[i] << 8) | d[i + 1];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    const uint16_t checksum = ~sum & 0xffff;
    d[10] = checksum >> 8;
    d[11] = checksum & 0xff;
    d.insert(d.end(), f.data.begin(), f.data.end());
    return d;
}

Bytes
PacketBytes(Ptr<const Packet> p)
{
    Bytes b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

/// What one run observed.
struct Observed
{
    std::vector<std::pair<Ipv4Header, Bytes>> delivered; //!< at h1, after reassembly
    std::vector<Bytes> deliveredOptions;                 //!< their IP options
    std::vector<Bytes> arrived;                          //!< options of what h1 received
    std::map<uint16_t, std::vector<Bytes>> app;          //!< UDP socket payloads, by port
    std::map<std::string, uint64_t> dropped;             //!< reason -> count
    std::vector<IcmpItem> icmp;                          //!< ICMP messages at h0
    std::vector<Socket::SocketErrno> refusals;           //!< SendTo errors
    std::vector<std::pair<bool, Bytes>> injected;        //!< (at router, datagram)
    Ipv4Reassembler::Counters counters;                  //!< h1's reassembler
};

/// One run of a case under one policy.
class Run
{
  public:
    /// Prepare a run (pcapPrefix empty: no captures).
    Run(const Case& c, const std::string& policy, const std::string& pcapPrefix);
    /// Build the topology, inject the train, run the simulation, and collect.
    Observed Execute();

  private:
    /// Send fragment `index` on the divert socket of its node.
    void Inject(uint32_t index);
    /// h1's "LocalDeliver" trace: a whole datagram reached the transport layer.
    void OnLocalDeliver(const Ipv4Header& header, Ptr<const Packet> p, uint32_t iif);
    /// h1's "Rx" trace: a datagram (header as on the wire) reached its IPv4 layer.
    void OnRx(Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t interface);
    /// A UDP socket of h1 has data.
    void OnUdp(Ptr<Socket> s);
    /// h0's raw ICMP socket has a message.
    void OnIcmp(Ptr<Socket> s);

    const Case& m_case;         //!< the case
    std::string m_policy;       //!< the overlap policy
    std::string m_pcapPrefix;   //!< capture file prefix, or empty
    NodeContainer m_nodes;      //!< h0, r, h1
    Ptr<Socket> m_hostDivert;   //!< divert socket of h1
    Ptr<Socket> m_routerDivert; //!< divert socket of r
    Observed m_observed;        //!< what the run saw
};

Run::Run(const Case& c, const std::string& policy, const std::string& pcapPrefix)
    : m_case(c),
      m_policy(policy),
      m_pcapPrefix(pcapPrefix)
{
}

void
Run::Inject(uint32_t index)
{
    const Fragment& f = m_case.fragments[index];
    const Bytes bytes = BuildDatagram(f);
    m_observed.injected.emplace_back(f.atRouter, bytes);
    Ptr<Socket> s = f.atRouter ? m_routerDivert : m_hostDivert;
    const Ipv4Address to = f.atRouter ? R_LEFT_ADDRESS : H1_ADDRESS;
    // SPEC section 4: sent to an interface address, the datagram comes in
    // on that interface.
    if (s->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, InetSocketAddress(to, 0)) < 0)
    {
        m_observed.refusals.push_back(s->GetErrno());
    }
}

void
Run::OnLocalDeliver(const Ipv4Header& header, Ptr<const Packet> p, uint32_t iif)
{
    m_observed.delivered.emplace_back(header, PacketBytes(p));
    m_observed.deliveredOptions.push_back(Ipv4OptionsTag::OptionsOf(p));
}

void
Run::OnRx(Ptr<const Packet> p, Ptr<Ipv4> ipv4, uint32_t interface)
{
    Ipv4WireHeader wire;
    p->PeekHeader(wire);
    m_observed.arrived.push_back(wire.GetOptions());
}

void
Run::OnUdp(Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        Address local;
        s->GetSockName(local);
        m_observed.app[InetSocketAddress::ConvertFrom(local).GetPort()].push_back(PacketBytes(p));
    }
}

void
Run::OnIcmp(Ptr<Socket> s)
{
    while (Ptr<Packet> p = s->Recv())
    {
        Ipv4Header ip;
        p->RemoveHeader(ip);
        const Bytes b = PacketBytes(p);
        if (b.size() < 8)
        {
            continue;
        }
        IcmpItem item;
        item.type = b[0];
        item.code = b[1];
        // RFC 1191: the next-hop MTU is in the low 16 bits of the second word.
        item.mtu = (b[6] << 8) | b[7];
        m_observed.icmp.push_back(item);
    }
}

Observed
Run::Execute()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    m_nodes.Create(3);
    DivertStackHelper stack;
    stack.SetIpv6StackInstall(false);
    stack.SetIpv4ArpJitter(false);
    stack.Install(m_nodes);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(1500));
    NetDeviceContainer left = p2p.Install(m_nodes.Get(0), m_nodes.Get(1));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(m_case.mtu));
    NetDeviceContainer right = p2p.Install(m_nodes.Get(1), m_nodes.Get(2));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    addresses.Assign(left);
    addresses.SetBase("10.1.2.0", "255.255.255.0");
    addresses.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    if (!m_pcapPrefix.empty())
    {
        const std::string base = m_pcapPrefix + "-" + m_case.name + "-" + m_policy;
        p2p.EnablePcap(base + "-left.pcap", left.Get(0), false, true);
        p2p.EnablePcap(base + "-right.pcap", right.Get(0), false, true);
    }

    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        Ptr<DivertIpv4L3Protocol> s = DivertStackHelper::GetStack(m_nodes.Get(i));
        // Kernel option (SPEC section 5): reassemble before the firewall.
        s->SetAttribute("AlwaysDefragment", BooleanValue(m_case.alwaysDefragment));
        // RFC 791 options copying: Linux or BSD bytes.
        s->SetAttribute("FragmentOptions", StringValue(m_case.fragmentOptions));
        // The reassembler is an object of the stack (SPEC section 7).
        Ptr<Ipv4Reassembler> r = s->GetReassembler();
        r->SetAttribute("OverlapPolicy", StringValue(m_policy));
        r->SetAttribute("Timeout", TimeValue(m_case.timeout));
        r->SetAttribute("RefreshTimer", BooleanValue(m_case.refreshTimer));
        r->SetAttribute("HighThreshold", UintegerValue(m_case.high));
        r->SetAttribute("LowThreshold", UintegerValue(m_case.low));
        r->SetAttribute("FragmentOverhead", UintegerValue(m_case.overhead));
        r->SetAttribute("TinyFragmentCheck", BooleanValue(m_case.tinyCheck));
    }

    Ptr<Node> h0 = m_nodes.Get(0);
    Ptr<Node> router = m_nodes.Get(1);
    Ptr<Node> h1 = m_nodes.Get(2);
    Ptr<DivertIpv4L3Protocol> h1Stack = DivertStackHelper::GetStack(h1);
    h1Stack->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&Run::OnLocalDeliver, this));
    h1Stack->TraceConnectWithoutContext("Rx", MakeCallback(&Run::OnRx, this));

    m_hostDivert = Socket::CreateSocket(h1, DivertSocketFactory::GetTypeId());
    m_routerDivert = Socket::CreateSocket(router, DivertSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_hostDivert->Bind() != 0 || m_routerDivert->Bind() != 0,
                    "cannot bind the divert sockets");

    // The application: a UDP socket on each destination port the train names
    // (bytes 2-3 of a fragment at offset 0).
    std::set<uint16_t> ports;
    for (const auto& f : m_case.fragments)
    {
        if (f.protocol == 17 && f.offset == 0 && f.data.size() >= 4)
        {
            ports.insert((f.data[2] << 8) | f.data[3]);
        }
    }
    std::vector<Ptr<Socket>> udp;
    for (uint16_t port : ports)
    {
        Ptr<Socket> s = Socket::CreateSocket(h1, UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        s->SetRecvCallback(MakeCallback(&Run::OnUdp, this));
        udp.push_back(s);
    }
    Ptr<Socket> icmp = Socket::CreateSocket(h0, Ipv4RawSocketFactory::GetTypeId());
    icmp->SetAttribute("Protocol", UintegerValue(1));
    icmp->SetRecvCallback(MakeCallback(&Run::OnIcmp, this));

    Time last = Seconds(0);
    for (uint32_t i = 0; i < m_case.fragments.size(); ++i)
    {
        Simulator::Schedule(m_case.fragments[i].time, &Run::Inject, this, i);
        last = std::max(last, m_case.fragments[i].time);
    }
    // Every queue is gone one timeout after its last fragment at the latest;
    // the margin lets ICMP messages arrive.
    Simulator::Stop(last + m_case.timeout + Seconds(10));
    Simulator::Run();

    auto add = [this](const std::string& reason, uint64_t n) { m_observed.dropped[reason] += n; };
    for (Ptr<Node> node : {router, h1})
    {
        Ptr<DivertIpv4L3Protocol> s = DivertStackHelper::GetStack(node);
        const Ipv4Reassembler::Counters k = s->GetReassembler()->GetCounters();
        add("overlap", k.overlapDropped);
        add("oversize", k.oversize);
        add("timeout", k.timedOut);
        add("evicted", k.evicted);
        add("tiny", k.tinyDropped);
        add("invalid", k.invalid);
        add("toobig", s->GetDivertStats().tooBig);
    }
    m_observed.counters = h1Stack->GetReassembler()->GetCounters();
    Observed result = m_observed;
    Simulator::Destroy();
    return result;
}

/// IP options in the suite's notation: none or hex:<digits>.
std::string
OptionsText(const Bytes& options)
{
    return options.empty() ? "none" : "hex:" + ToHex(options);
}

/// ICMP messages in the suite's notation, runs of equal messages as `t/c*n`.
std::string
IcmpList(const std::vector<IcmpItem>& v, bool withMtu)
{
    if (v.empty())
    {
        return "none";
    }
    std::string s;
    size_t i = 0;
    while (i < v.size())
    {
        const bool showMtu = v[i].type == 3 && v[i].code == 4 && (withMtu || v[i].mtu >= 0);
        size_t j = i;
        while (j < v.size() && v[j].type == v[i].type && v[j].code == v[i].code &&
               (!showMtu || v[j].mtu == v[i].mtu))
        {
            ++j;
        }
        s += (s.empty() ? "" : " ") + std::to_string(v[i].type) + "/" + std::to_string(v[i].code);
        if (j - i > 1)
        {
            s += "*" + std::to_string(j - i);
        }
        if (showMtu)
        {
            s += " mtu=" + std::to_string(v[i].mtu);
        }
        i = j;
    }
    return s;
}

/// Compare a run with the expectations; return the differences.
std::vector<std::string>
Compare(const Expected& e, const Observed& o)
{
    std::vector<std::string> diffs;
    const size_t n = std::max(e.delivered.size(), o.delivered.size());
    if (e.delivered.size() != o.delivered.size())
    {
        diffs.push_back("expected " + std::to_string(e.delivered.size()) +
                        " datagram(s) delivered, got " + std::to_string(o.delivered.size()));
    }
    for (size_t i = 0; i < n; ++i)
    {
        if (i < e.delivered.size() && i < o.delivered.size() &&
            e.delivered[i] != o.delivered[i].second)
        {
            diffs.push_back("delivered #" + std::to_string(i + 1) + ": expected " +
                            Describe(e.delivered[i]) + ", got " + Describe(o.delivered[i].second));
        }
        else if (i >= e.delivered.size())
        {
            diffs.push_back("unexpected delivery " + Describe(o.delivered[i].second));
        }
    }
    // Every delivered header is a whole datagram's (RFC 791: MF clear, offset 0,
    // total length of the datagram), and matches the `header` lines.
    for (size_t i = 0; i < o.delivered.size(); ++i)
    {
        const Ipv4Header& h = o.delivered[i].first;
        const std::string tag = "delivered #" + std::to_string(i + 1) + " header: ";
        if (!h.IsLastFragment() || h.GetFragmentOffset() != 0)
        {
            diffs.push_back(tag + "still a fragment (MF " + std::to_string(!h.IsLastFragment()) +
                            ", offset " + std::to_string(h.GetFragmentOffset()) + ")");
        }
        if (h.GetPayloadSize() != o.delivered[i].second.size())
        {
            diffs.push_back(tag + "payload size " + std::to_string(h.GetPayloadSize()) + " for " +
                            std::to_string(o.delivered[i].second.size()) + " bytes");
        }
        const std::map<std::string, int64_t> actual = {
            {"ttl", h.GetTtl()},
            {"mf", h.IsLastFragment() ? 0 : 1},
            {"df", h.IsDontFragment() ? 1 : 0},
            {"offset", h.GetFragmentOffset()},
            {"length", 20 + o.deliveredOptions[i].size() + h.GetPayloadSize()},
            {"id", h.GetIdentification()},
            {"proto", h.GetProtocol()},
        };
        for (const auto& check : e.headers)
        {
            if (check.checkOptions && check.options != o.deliveredOptions[i])
            {
                diffs.push_back(tag + "options " + OptionsText(o.deliveredOptions[i]) +
                                ", expected " + OptionsText(check.options));
            }
            for (const auto& field : check.fields)
            {
                if (actual.at(field.first) != field.second)
                {
                    diffs.push_back(tag + field.first + " " +
                                    std::to_string(actual.at(field.first)) + ", expected " +
                                    std::to_string(field.second));
                }
            }
        }
        // The application gets what follows the UDP header.
        const Bytes& d = o.delivered[i].second;
        if (h.GetProtocol() == 17 && d.size() >= 8)
        {
            const uint16_t port = (d[2] << 8) | d[3];
            auto app = o.app.find(port);
            size_t index = 0;
            for (size_t k = 0; k < i; ++k)
            {
                const Bytes& earlier = o.delivered[k].second;
                index += o.delivered[k].first.GetProtocol() == 17 && earlier.size() >= 8 &&
                         ((earlier[2] << 8) | earlier[3]) == port;
            }
            const Bytes payload(d.begin() + 8, d.end());
            if (app != o.app.end() &&
                (index >= app->second.size() || app->second[index] != payload))
            {
                diffs.push_back("UDP socket on port " + std::to_string(port) +
                                " did not receive delivery #" + std::to_string(i + 1));
            }
        }
    }
    for (const auto& reason : DROP_REASONS)
    {
        const uint64_t want = e.dropped.count(reason) ? e.dropped.at(reason) : 0;
        const uint64_t got = o.dropped.count(reason) ? o.dropped.at(reason) : 0;
        if (want != got)
        {
            diffs.push_back("dropped " + reason + ": expected " + std::to_string(want) + ", got " +
                            std::to_string(got));
        }
    }
    std::map<std::string, uint32_t> refused;
    for (auto err : o.refusals)
    {
        refused[ErrnoName(err)]++;
    }
    if (refused != e.refused)
    {
        std::string want;
        std::string got;
        for (const auto& r : e.refused)
        {
            want += " " + r.first + "*" + std::to_string(r.second);
        }
        for (const auto& r : refused)
        {
            got += " " + r.first + "*" + std::to_string(r.second);
        }
        diffs.push_back("refused: expected" + (want.empty() ? " none" : want) + ", got" +
                        (got.empty() ? " none" : got));
    }
    if (e.checkArrived && e.arrived != o.arrived)
    {
        std::string want;
        std::string got;
        for (const auto& a : e.arrived)
        {
            want += " " + OptionsText(a);
        }
        for (const auto& a : o.arrived)
        {
            got += " " + OptionsText(a);
        }
        diffs.push_back("arrived at h1 with options:" + (got.empty() ? " nothing" : got) +
                        "; expected" + (want.empty() ? " nothing" : want));
    }
    bool icmpOk = e.icmp.size() == o.icmp.size();
    for (size_t i = 0; icmpOk && i < e.icmp.size(); ++i)
    {
        icmpOk = e.icmp[i].type == o.icmp[i].type && e.icmp[i].code == o.icmp[i].code &&
                 (e.icmp[i].mtu < 0 || e.icmp[i].mtu == o.icmp[i].mtu);
    }
    if (!icmpOk)
    {
        diffs.push_back("icmp: expected " + IcmpList(e.icmp, false) + ", got " +
                        IcmpList(o.icmp, true));
    }
    return diffs;
}

void
PrintObserved(const Observed& o)
{
    for (size_t i = 0; i < o.delivered.size(); ++i)
    {
        const Ipv4Header& h = o.delivered[i].first;
        std::cout << "      delivered #" << i + 1 << ": " << Describe(o.delivered[i].second)
                  << " (length " << 20 + o.deliveredOptions[i].size() + h.GetPayloadSize()
                  << ", ttl " << +h.GetTtl() << ", id " << h.GetIdentification() << ", options "
                  << OptionsText(o.deliveredOptions[i]) << ")\n";
    }
    std::cout << "      dropped:";
    bool any = false;
    for (const auto& d : o.dropped)
    {
        if (d.second)
        {
            std::cout << " " << d.first << "*" << d.second;
            any = true;
        }
    }
    std::cout << (any ? "" : " none") << "\n      arrived at h1 with options:";
    for (const auto& a : o.arrived)
    {
        std::cout << " " << OptionsText(a);
    }
    std::cout << "\n      icmp: " << IcmpList(o.icmp, true) << "\n      counters (h1): fragments "
              << o.counters.fragments << ", reassembled " << o.counters.reassembled << ", overlaps "
              << o.counters.overlaps << ", duplicates " << o.counters.duplicates << "\n";
    for (auto err : o.refusals)
    {
        std::cout << "      refused: " << ErrnoName(err) << "\n";
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    // Default: the suite next to this source file.
    std::string suite =
        (std::filesystem::path(__FILE__).parent_path().parent_path() / "test" / "fragment-suite")
            .string();
    std::string caseName;
    std::string policy;
    bool verbose = false;
    bool hex = false;
    std::string pcap;
    CommandLine cmd(__FILE__);
    cmd.AddValue("suite", "Suite file or directory of *.txt suite files", suite);
    cmd.AddValue("case", "Run only the case of this name", caseName);
    cmd.AddValue("policy", "Run only this overlap policy", policy);
    cmd.AddValue("verbose", "Print what each run observed", verbose);
    cmd.AddValue("hex", "Print every injected and delivered datagram as hex", hex);
    cmd.AddValue("pcap", "Write device pcaps of both links, with this file name prefix", pcap);
    cmd.Parse(argc, argv);

    std::vector<std::string> files;
    std::error_code ec;
    if (std::filesystem::is_directory(suite, ec))
    {
        for (const auto& entry : std::filesystem::directory_iterator(suite))
        {
            if (entry.is_regular_file() && entry.path().extension() == ".txt")
            {
                files.push_back(entry.path().string());
            }
        }
        std::sort(files.begin(), files.end());
        if (files.empty())
        {
            std::cerr << suite << ": no *.txt suite files" << std::endl;
            return 2;
        }
    }
    else
    {
        files.push_back(suite);
    }

    std::vector<Case> cases;
    try
    {
        SuiteParser parser;
        for (const auto& f : files)
        {
            parser.ParseFile(f, cases);
        }
    }
    catch (const ParseError& e)
    {
        std::cerr << e.what() << std::endl;
        return 2;
    }
    const std::vector<std::string> policies = AllPolicies();
    if (!policy.empty() && std::find(policies.begin(), policies.end(), policy) == policies.end())
    {
        std::cerr << "unknown policy '" << policy << "'" << std::endl;
        return 2;
    }
    if (!caseName.empty() &&
        std::none_of(cases.begin(), cases.end(), [&](const Case& c) { return c.name == caseName; }))
    {
        std::cerr << "no case named '" << caseName << "'" << std::endl;
        return 2;
    }

    size_t nameWidth = 4;
    for (const auto& c : cases)
    {
        nameWidth = std::max(nameWidth, c.name.size());
    }
    std::ostringstream table;
    table << std::left << std::setw(nameWidth + 2) << "case";
    for (const auto& p : policies)
    {
        table << std::setw(p.size() + 2) << p;
    }
    table << "\n";

    std::vector<std::string> failures;
    uint32_t runs = 0;
    uint32_t passed = 0;
    uint32_t caseCount = 0;
    for (const auto& c : cases)
    {
        if (!caseName.empty() && c.name != caseName)
        {
            continue;
        }
        ++caseCount;
        if (verbose || hex)
        {
            std::cout << "case " << c.name << " (" << c.file << ":" << c.line
                      << "): " << c.description << "\n";
        }
        table << std::left << std::setw(nameWidth + 2) << c.name;
        for (const auto& p : policies)
        {
            const bool selected =
                std::find(c.policies.begin(), c.policies.end(), p) != c.policies.end() &&
                (policy.empty() || policy == p);
            if (!selected)
            {
                table << std::setw(p.size() + 2) << "-";
                continue;
            }
            Run run(c, p, pcap);
            const Observed o = run.Execute();
            const std::vector<std::string> diffs = Compare(ExpectationsFor(c, p), o);
            ++runs;
            passed += diffs.empty();
            table << std::setw(p.size() + 2) << (diffs.empty() ? "pass" : "FAIL");
            for (const auto& d : diffs)
            {
                failures.push_back(c.name + " [" + p + "]: " + d);
            }
            if (verbose)
            {
                std::cout << "  " << p << ": " << (diffs.empty() ? "pass" : "FAIL") << "\n";
                PrintObserved(o);
            }
            if (hex)
            {
                for (size_t i = 0; i < o.injected.size(); ++i)
                {
                    std::cout << "  " << p << " inject " << i << " "
                              << (o.injected[i].first ? "router" : "host") << " "
                              << ToHex(o.injected[i].second) << "\n";
                }
                for (size_t i = 0; i < o.delivered.size(); ++i)
                {
                    Ptr<Packet> whole =
                        Create<Packet>(o.delivered[i].second.data(), o.delivered[i].second.size());
                    whole->AddHeader(Ipv4WireHeader(o.delivered[i].first, o.deliveredOptions[i]));
                    std::cout << "  " << p << " deliver " << i << " " << ToHex(PacketBytes(whole))
                              << "\n";
                }
            }
        }
        table << "\n";
    }
    // The table without the padding at the end of each line.
    std::istringstream rows(table.str());
    std::string row;
    while (std::getline(rows, row))
    {
        std::cout << row.substr(0, row.find_last_not_of(' ') + 1) << "\n";
    }
    for (const auto& f : failures)
    {
        std::cout << "FAIL " << f << "\n";
    }
    std::cout << "fragment suite: " << caseCount << " cases, " << runs << " runs, " << passed
              << " passed, " << runs - passed << " failed" << std::endl;
    return runs == passed ? 0 : 1;
}
