/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef IPCHAINS_H
#define IPCHAINS_H

#include "firewall-packet.h"
#include "firewall-rule.h"
#include "rule-classifier.h"

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

struct IpchainsCommand;

/**
 * \ingroup divert
 * \brief The firewall chains of one node, as Linux 2.2 ipchains keeps them.
 *
 * Three built-in chains, "input", "forward" and "output", each with a
 * policy (ACCEPT, DENY or REJECT; MASQ on forward) and policy counters,
 * and user-defined chains of up to 8 characters, listed in creation order.
 *
 * Two front doors, one model: Execute() takes ipchains(8) command lines,
 * the typed methods (AppendRule, InsertRule, ...) take FirewallRule
 * values; both go through the same validation and give the same errors.
 * A refused command changes nothing. Command output is the text ipchains
 * prints, every line ending in '\\n'.
 *
 * The IPv4 stack calls Evaluate() for every packet at each hook. The walk
 * follows ip_fw.c ip_fw_check of Linux 2.2: the first matching rule with
 * a target decides; a rule without target only counts; a user chain is
 * entered by a jump and left at its end or by RETURN; RETURN or the end of
 * a built-in chain applies its policy. Every matching rule counts the
 * packet and applies its TOS masks and its mark; -l rules fire the "Log"
 * trace source.
 *
 * Departures from ipchains 1.3.9, each a choice documented where made:
 * DIVERT (the divert patch: `-j DIVERT port`, verdict "diverted" for -C);
 * -Z zeroes the policy counters as well; jumps that would close a loop of
 * chains are refused unless the attribute RefuseLoops is false (then the
 * walk catches the loop, as the Linux 2.2 kernel did); names resolve from
 * built-in tables only (see IpchainsParser).
 */
class Ipchains : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /** \brief Built-in chains input, forward and output, empty, policy ACCEPT. */
    Ipchains();
    ~Ipchains() override;

    /** \brief Where the stack calls the firewall: one built-in chain each. */
    enum Hook
    {
        INPUT = 0,   //!< chain "input"
        FORWARD = 1, //!< chain "forward"
        OUTPUT = 2   //!< chain "output"
    };

    /**
     * \brief Name of the built-in chain of a hook.
     * \param hook the hook
     * \return "input", "forward" or "output"
     */
    static std::string GetHookChainName(Hook hook);

    /** \brief A place in the chains: a rule of a chain. */
    struct Frame
    {
        std::string chain; //!< chain name
        uint32_t rule;     //!< 1-based number of a rule in chain
    };

    /** \brief Outcome of a command. */
    struct Result
    {
        bool ok{true};      //!< false when the command was refused
        std::string output; //!< what ipchains prints on standard output
        std::string error;  //!< the error message when refused
    };

    /** \brief What Evaluate() decided for a packet. */
    struct Verdict
    {
        /** \brief The fate of the packet. */
        enum Action
        {
            ACCEPT,  //!< let it through
            DENY,    //!< drop silently
            REJECT,  //!< drop and send ICMP destination unreachable
            DIVERT,  //!< hand to the divert socket of port
            MASQ,    //!< masquerade
            REDIRECT //!< redirect to a local port
        };

        Action action{ACCEPT}; //!< the fate
        uint16_t port{0};      //!< DIVERT port, or REDIRECT port (0 = none given)
        /// Call stack at the deciding rule: built-in chain first, innermost
        /// last; empty when the built-in policy decided.
        std::vector<Frame> position;
        uint32_t mark{0};          //!< packet mark after every matching -m rule
        std::vector<Frame> logged; //!< every matching rule with -l, in order
        bool loop{false};          //!< caught in loop (action DENY then)
    };

    /** \brief How Evaluate() walks. */
    struct EvaluateOptions
    {
        /// If set: start at the rule after the innermost frame, and when that
        /// chain ends or RETURNs continue after the jump rule of the
        /// enclosing frame, and so on. Frames that no longer describe the
        /// chains (a chain deleted, a jump rule replaced) are dropped from
        /// the innermost end; if the first frame is not the hook's chain the
        /// walk starts from the top.
        const std::vector<Frame>* resumeAfter{nullptr};
        /// True if a divert socket listens on the port; empty = nobody listens.
        std::function<bool(uint16_t)> divertListener;
        /// DIVERT rule with no listener: false -> verdict DIVERT anyway (the
        /// stack drops it), true -> evaluation goes on with the next rule.
        bool passThrough{false};
    };

    /**
     * \brief Fast path for a built-in chain with no rules and an ACCEPT policy.
     *
     * Such a chain accepts every packet; this counts the packet on the
     * policy counters exactly as Evaluate() would, without describing it.
     * \param hook the built-in chain
     * \param bytes the size of the whole datagram
     * \return true if the packet was accepted this way; false if Evaluate() must run
     */
    bool AcceptIfEmpty(Hook hook, uint32_t bytes);

    /**
     * \brief Walk the built-in chain of a hook for one packet.
     *
     * Updates rule and policy counters (bytes = packet.size), applies -t
     * to packet.tos and -m to packet.mark, collects and traces -l rules,
     * follows jumps, RETURN and fall-off.
     * \param hook the hook
     * \param packet the packet description; tos and mark are updated
     * \param options resume point and divert listeners
     * \return the verdict
     */
    Verdict Evaluate(Hook hook, FirewallPacket& packet, const EvaluateOptions& options);

    /**
     * \brief Compile the chains changed since the last packet now.
     *
     * Each chain's classifier is rebuilt where it changed when the next
     * packet walks it; this does that work at once, e.g. at the end of
     * building a topology, so that a run's first packets do not pay for
     * it. Evaluation gives the same results either way.
     */
    void Compile();

    /**
     * \brief Bytes the compiled classifiers of every chain take.
     * \return the byte count
     */
    std::size_t GetClassifierMemory() const;

    /**
     * \brief Carry out one ipchains command line.
     * \param commandLine e.g. "ipchains -A input -p icmp -j DIVERT 4321"
     * \return the output, or the error; on error nothing changed
     */
    Result Execute(const std::string& commandLine);

    /**
     * \brief Carry out many command lines, all or nothing.
     *
     * Blank lines are skipped and '#' starts a comment. On the first error
     * the tables (rules, chains, policies, counters) are restored exactly
     * and the error reads "<origin>:<line>: <message>".
     * \param text the lines
     * \param origin the name used in error messages
     * \return the concatenated output, or the error
     */
    Result ExecuteScript(const std::string& text, const std::string& origin = "<script>");

    /**
     * \brief Read a file and ExecuteScript() it, with the path as origin.
     * \param path the file
     * \return the output, or the error ("cannot open file `path'")
     */
    Result ExecuteFile(const std::string& path);

    /**
     * \brief The kernel option "divert sockets": when false any rule with
     * target DIVERT is refused. Rules already in place stay.
     * \param allowed true to accept DIVERT rules
     */
    void SetDivertAllowed(bool allowed);
    /** \brief Whether DIVERT rules are accepted. \return the option */
    bool IsDivertAllowed() const;

    /**
     * \brief Set the number of flows each chain's match cache remembers
     * (attribute "FlowCacheSize"); 0 turns the caches off. Verdicts,
     * counters and logs do not depend on it, only the cost of a walk.
     * \param flows slots per chain (rounded up to a power of two, at most
     *        65536)
     */
    void SetFlowCacheSize(uint32_t flows);
    /** \brief Flow cache slots per chain. \return the number asked for */
    uint32_t GetFlowCacheSize() const;

    /**
     * \brief Append a rule (ipchains -A).
     * \param chain the chain
     * \param rule the rule (its counters start at zero in the chain)
     * \return the result; TOS warnings go to output
     */
    Result AppendRule(const std::string& chain, const FirewallRule& rule);
    /**
     * \brief Insert a rule so that it becomes rule `number` (ipchains -I).
     * \param chain the chain
     * \param number 1..(rule count + 1)
     * \param rule the rule
     * \return the result
     */
    Result InsertRule(const std::string& chain, uint32_t number, const FirewallRule& rule);
    /**
     * \brief Delete the first rule that is the same rule (ipchains -D
     * chain rule; see FirewallRule::IsSameRule).
     * \param chain the chain
     * \param rule the rule to find
     * \return the result
     */
    Result DeleteRule(const std::string& chain, const FirewallRule& rule);
    /**
     * \brief Delete rule `number` (ipchains -D chain n).
     * \param chain the chain
     * \param number 1-based rule number
     * \return the result
     */
    Result DeleteRule(const std::string& chain, uint32_t number);
    /**
     * \brief Replace rule `number` (ipchains -R); the counters restart at 0.
     * \param chain the chain
     * \param number 1-based rule number
     * \param rule the new rule
     * \return the result
     */
    Result ReplaceRule(const std::string& chain, uint32_t number, const FirewallRule& rule);
    /**
     * \brief Delete every rule of a chain, or of every chain (ipchains -F).
     * \param chain the chain, "" for all
     * \return the result
     */
    Result Flush(const std::string& chain = "");
    /**
     * \brief Zero the rule and policy counters of a chain, or of every
     * chain (ipchains -Z).
     * \param chain the chain, "" for all
     * \return the result
     */
    Result Zero(const std::string& chain = "");
    /**
     * \brief Create a user-defined chain (ipchains -N).
     * \param chain the name: 1 to 8 characters, case-sensitive, not a
     *        target name
     * \return the result
     */
    Result NewChain(const std::string& chain);
    /**
     * \brief Delete a user-defined chain, or all of them (ipchains -X).
     * A chain must be empty and unreferenced; with "" every user chain
     * must be, or none is deleted.
     * \param chain the chain, "" for all user chains
     * \return the result
     */
    Result DeleteChain(const std::string& chain = "");
    /**
     * \brief Set the policy of a built-in chain (ipchains -P).
     * \param chain "input", "forward" or "output"
     * \param target ACCEPT, DENY, REJECT, or MASQ for forward
     * \return the result
     */
    Result SetPolicy(const std::string& chain, const std::string& target);
    /**
     * \brief List the rules like `ipchains -L`.
     * \param chain the chain, "" for all
     * \param verbose -v: counters, TOS masks, interface, mark
     * \param numeric -n: addresses, ports and interfaces as numbers
     * \param exact -x: exact counters instead of K/M/G
     * \param lineNumbers --line-numbers
     * \return the listing; "" if the chain does not exist
     */
    std::string List(const std::string& chain = "",
                     bool verbose = false,
                     bool numeric = true,
                     bool exact = false,
                     bool lineNumbers = false) const;
    /**
     * \brief What would happen to a packet on a chain (ipchains -C).
     * Counters, mark, TOS and logs are left alone, as in the kernel's
     * testing mode.
     * \param chain the chain (built-in or user-defined)
     * \param packet the packet description
     * \return output: "accepted\n", "denied\n", "rejected\n",
     *         "masqueraded\n", "redirected\n", "diverted\n",
     *         "caught in loop\n" or "passed through chain\n"
     */
    Result Check(const std::string& chain, const FirewallPacket& packet);

    /**
     * \brief Number of rules in a chain.
     * \param chain the chain
     * \return the count, 0 if the chain does not exist
     */
    uint32_t GetRuleCount(const std::string& chain) const;
    /**
     * \brief A rule of a chain, counters included. The pointer is valid
     * until the next command or Evaluate().
     * \param chain the chain
     * \param number 1-based rule number
     * \return the rule, nullptr if none
     */
    const FirewallRule* GetRule(const std::string& chain, uint32_t number) const;
    /**
     * \brief Packets decided by the policy of a built-in chain.
     * \param hook the chain
     * \return the count
     */
    uint64_t GetPolicyPackets(Hook hook) const;
    /**
     * \brief Bytes decided by the policy of a built-in chain.
     * \param hook the chain
     * \return the count
     */
    uint64_t GetPolicyBytes(Hook hook) const;

    /**
     * \brief Whether a chain exists.
     * \param chain the name
     * \return true if it exists
     */
    bool HasChain(const std::string& chain) const;
    /**
     * \brief Every chain name: input, forward, output, then user chains in
     * creation order.
     * \return the names
     */
    std::vector<std::string> GetChainNames() const;
    /**
     * \brief Policy of a built-in chain.
     * \param chain the chain
     * \return "ACCEPT", "DENY", "REJECT", "MASQ", or "" for a user chain or
     *         a chain that does not exist
     */
    std::string GetPolicy(const std::string& chain) const;
    /**
     * \brief Number of rules that jump to a chain.
     * \param chain the chain
     * \return the count
     */
    uint32_t GetReferenceCount(const std::string& chain) const;
    /**
     * \brief Name of a verdict action.
     * \param action the action
     * \return "ACCEPT", "DENY", "REJECT", "DIVERT", "MASQ" or "REDIRECT"
     */
    static std::string ActionToString(Verdict::Action action);

    /**
     * \brief Signature of the "Log" trace source.
     * \param chain the chain of the -l rule
     * \param rule its 1-based number
     * \param packet the packet as it matched (before the rule's -t and -m)
     */
    typedef void (*LogTracedCallback)(const std::string& chain,
                                      uint32_t rule,
                                      const FirewallPacket& packet);

  private:
    /// One chain and its rules.
    struct Chain
    {
        std::string name;                                  //!< label
        bool builtin{false};                               //!< input, forward or output
        FirewallRule::Target policy{FirewallRule::ACCEPT}; //!< built-in policy
        std::vector<FirewallRule> rules;                   //!< the rules, in order
        RuleClassifier classifier; //!< the rules compiled; told of every change to them
        uint64_t policyPackets{0}; //!< policy packet counter
        uint64_t policyBytes{0};   //!< policy byte counter
    };

    /**
     * Chain name -> position in Tables::chains. The built-in chains are
     * always the first three and need no entry: only user chains have one
     * (each entry of a std::map is an allocation, three on every firewall).
     */
    class ChainIndex
    {
      public:
        /// What find returns: the entry (name, position), or end()
        using Entry = const std::pair<const std::string, std::size_t>*;

        /**
         * \param name a chain name
         * \return its entry, or end() if there is no such chain
         */
        Entry find(const std::string& name) const;

        /// \return the entry find returns for a name with no chain
        Entry end() const
        {
            return nullptr;
        }

        /**
         * \param name the name of a chain (there must be one)
         * \return its position
         */
        std::size_t operator[](const std::string& name) const;

        /// Forget every user chain.
        void clear();

        /**
         * \brief Record where a chain is.
         * \param name its name
         * \param position its position (a built-in chain's must be its hook)
         */
        void Set(const std::string& name, std::size_t position);

      private:
        std::map<std::string, std::size_t> m_user; //!< user chains only
    };

    /// Everything a failed script must restore.
    struct Tables
    {
        std::vector<Chain> chains; //!< built-in first, then user
        ChainIndex index;          //!< name -> position in chains
    };

    /// One chain on the walk's call stack: ip_fw.c keeps the same thing in
    /// the prevchain/prevrule back pointers of each chain.
    struct Level
    {
        std::size_t chain;             //!< index in m_tables.chains
        std::size_t next;              //!< 0-based index of the next rule to test
        RuleClassifier::Cursor cursor; //!< where the classifier is in that chain
    };

    /// A -l match waiting to be traced after the walk.
    struct PendingLog
    {
        std::string chain;     //!< chain
        uint32_t rule;         //!< 1-based rule
        FirewallPacket packet; //!< packet at the match
    };

    /**
     * \brief Walk chains from a start chain.
     * \param start index of the start chain
     * \param resume frames to resume after, or nullptr
     * \param packet the packet
     * \param testing true for -C: no counters, no mangling, no logs
     * \param options divert listeners and pass-through
     * \param passedThrough set when a user start chain was left at its end
     * \return the verdict
     */
    Verdict Walk(std::size_t start,
                 const std::vector<Frame>* resume,
                 FirewallPacket& packet,
                 bool testing,
                 const EvaluateOptions& options,
                 bool& passedThrough);

    /**
     * \brief Carry out a parsed command.
     * \param command the command
     * \return the result
     */
    Result Run(const IpchainsCommand& command);

    /**
     * \brief Add a rule (and with bidirectional its mirror).
     * \param chain the chain
     * \param number insert position, 0 to append
     * \param rule the rule
     * \param bidirectional -b
     * \param verbose -v: print the rules
     * \param warnings print TOS warnings
     * \return the result
     */
    Result AddRules(const std::string& chain,
                    uint32_t number,
                    const FirewallRule& rule,
                    bool bidirectional,
                    bool verbose,
                    bool warnings);
    /**
     * \brief Delete a rule by value (and with bidirectional its mirror).
     * \param chain the chain
     * \param rule the rule
     * \param bidirectional -b
     * \param verbose -v
     * \return the result
     */
    Result DeleteRules(const std::string& chain,
                       const FirewallRule& rule,
                       bool bidirectional,
                       bool verbose);
    /**
     * \brief Replace a rule.
     * \param chain the chain
     * \param number 1-based number
     * \param rule the rule
     * \param verbose -v
     * \param warnings print TOS warnings
     * \return the result
     */
    Result DoReplace(const std::string& chain,
                     uint32_t number,
                     const FirewallRule& rule,
                     bool verbose,
                     bool warnings);
    /**
     * \brief Apply a change to one chain or, with "", to every chain (-F, -Z).
     * \param chain the chain, "" for all
     * \param verbose -v: say "<verb> chain `name'" for each
     * \param verb the -v word ("Flushing", "Zeroing")
     * \param apply the change
     * \return the result (an unknown chain changes nothing)
     */
    Result ForEachChain(const std::string& chain,
                        bool verbose,
                        const std::string& verb,
                        const std::function<void(Chain&)>& apply);
    /**
     * \brief Flush with optional -v messages.
     * \param chain the chain, "" for all
     * \param verbose -v
     * \return the result
     */
    Result DoFlush(const std::string& chain, bool verbose);
    /**
     * \brief Zero with optional -v messages.
     * \param chain the chain, "" for all
     * \param verbose -v
     * \return the result
     */
    Result DoZero(const std::string& chain, bool verbose);
    /**
     * \brief Delete chains with optional -v messages.
     * \param chain the chain, "" for all user chains
     * \param verbose -v
     * \return the result
     */
    Result DoDeleteChain(const std::string& chain, bool verbose);

    /**
     * \brief The chain-name checks every command shares: too long, then
     * missing.
     * \param chain the name
     * \return "" or the error
     */
    std::string CheckChain(const std::string& chain) const;
    /**
     * \brief Every check a rule passes before it enters a chain.
     * \param chain the chain
     * \param rule the rule
     * \return "" or the error
     */
    std::string CheckRule(const std::string& chain, const FirewallRule& rule) const;
    /**
     * \brief Refuse a jump from `chain` that would close a loop.
     * \param chain the chain the rule goes in
     * \param rule the rule
     * \return "" or the error
     */
    std::string CheckLoop(const std::string& chain, const FirewallRule& rule) const;
    /**
     * \brief Find a chain.
     * \param chain the name
     * \return the chain or nullptr
     */
    Chain* FindChain(const std::string& chain);
    /**
     * \brief Find a chain.
     * \param chain the name
     * \return the chain or nullptr
     */
    const Chain* FindChain(const std::string& chain) const;
    /** \brief Rebuild the name index after chains were added or removed. */
    void Reindex();

    /**
     * \brief Failure result.
     * \param error the message
     * \return the result
     */
    static Result Fail(const std::string& error);

    Tables m_tables;          //!< the chains
    bool m_divertAllowed;     //!< kernel option "divert sockets"
    bool m_natAllowed;        //!< MASQ and REDIRECT accepted
    bool m_refuseLoops;       //!< refuse jumps that close a loop
    uint32_t m_flowCacheSize; //!< flow cache slots per chain
    TracedCallback<const std::string&, uint32_t, const FirewallPacket&> m_logTrace; //!< -l
    std::vector<Level> m_levels; //!< the walk's call stack, kept to spare an allocation a walk
};

} // namespace ns3

#endif /* IPCHAINS_H */
