/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Small topologies and probes shared by the divert test suites.

#ifndef DIVERT_TEST_UTILS_H
#define DIVERT_TEST_UTILS_H

#include "ns3/core-module.h"
#include "ns3/divert-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cstdint>
#include <string>
#include <vector>

namespace divtest
{

using Bytes = std::vector<uint8_t>;

/** Resets the simulator and global state around each test case. */
struct SimulatorFixture
{
    SimulatorFixture();
    ~SimulatorFixture();
};

/**
 * h0 --- r --- h1 (point-to-point, 10.1.1.0/24 and 10.1.2.0/24), global routing.
 * nodes: 0 = h0 (10.1.1.1), 1 = r (10.1.1.2, 10.1.2.1), 2 = h1 (10.1.2.2).
 */
struct Chain
{
    ns3::NodeContainer nodes;             //!< h0, r, h1
    ns3::Ipv4InterfaceContainer left;     //!< h0, r
    ns3::Ipv4InterfaceContainer right;    //!< r, h1
    ns3::NetDeviceContainer leftDevices;  //!< devices of the left link
    ns3::NetDeviceContainer rightDevices; //!< devices of the right link

    ns3::Ptr<ns3::Node> H0() const
    {
        return nodes.Get(0);
    }

    ns3::Ptr<ns3::Node> R() const
    {
        return nodes.Get(1);
    }

    ns3::Ptr<ns3::Node> H1() const
    {
        return nodes.Get(2);
    }
};

/**
 * Build the chain.
 * \param divert which nodes get the divert stack (h0, r, h1); others the plain one
 * \param leftMtu MTU of the left link
 * \param rightMtu MTU of the right link
 * \param configure called on the stack helper before installing (attributes)
 */
Chain MakeChain(std::vector<bool> divert,
                uint16_t leftMtu = 1500,
                uint16_t rightMtu = 1500,
                std::function<void(ns3::DivertStackHelper&)> configure = {});

/** The divert stack of a node (test fails if none). */
ns3::Ptr<ns3::DivertIpv4L3Protocol> Stack(ns3::Ptr<ns3::Node> node);

/** Run an ipchains command on a node; the test fails if it is refused. */
void Rule(ns3::Ptr<ns3::Node> node, const std::string& command);

/**
 * Run a function at a simulation time. Simulator::Schedule takes lambdas only
 * from ns-3.36 on; this works with every release the module builds with.
 */
void At(ns3::Time at, std::function<void()> f);

/** Deterministic payload bytes. */
Bytes Pattern(uint32_t size, uint8_t seed = 0);

/** Bytes of a packet. */
Bytes ToBytes(ns3::Ptr<const ns3::Packet> p);

/** A UDP socket that records every datagram it receives. */
class UdpProbe
{
  public:
    UdpProbe(ns3::Ptr<ns3::Node> node, uint16_t port);
    std::vector<Bytes> received; //!< payloads, in order
    uint64_t TotalBytes() const;

  private:
    void Read(ns3::Ptr<ns3::Socket> s);
    ns3::Ptr<ns3::Socket> m_socket;
};

/** Send one UDP datagram at a time. */
void SendUdp(ns3::Ptr<ns3::Node> from,
             ns3::Ipv4Address to,
             uint16_t port,
             const Bytes& payload,
             ns3::Time at,
             bool dontFragment = false);

/** A raw ICMP socket that records (type, code, next-hop MTU) of ICMP messages received. */
class IcmpProbe
{
  public:
    explicit IcmpProbe(ns3::Ptr<ns3::Node> node);

    struct Message
    {
        uint8_t type;
        uint8_t code;
        uint16_t nextHopMtu;
        ns3::Ipv4Address from;
    };

    std::vector<Message> messages; //!< in order
    uint32_t Count(uint8_t type, uint8_t code) const;

  private:
    void Read(ns3::Ptr<ns3::Socket> s);
    ns3::Ptr<ns3::Socket> m_socket;
};

/** A divert socket that records what it receives and optionally echoes it back. */
class DivertProbe
{
  public:
    DivertProbe(ns3::Ptr<ns3::Node> node, uint16_t port, bool echo);

    struct Item
    {
        Bytes datagram;
        ns3::InetSocketAddress from;
    };

    std::vector<Item> received;   //!< in order
    ns3::Ptr<ns3::Socket> socket; //!< the divert socket

  private:
    void Read(ns3::Ptr<ns3::Socket> s);
    bool m_echo;
};

/** Build an IPv4 datagram (header with checksum) around a payload. */
Bytes MakeDatagram(ns3::Ipv4Address src,
                   ns3::Ipv4Address dst,
                   uint8_t protocol,
                   const Bytes& payload,
                   uint16_t id = 1,
                   uint8_t ttl = 64);

/** A UDP datagram (UDP checksum 0) as bytes, IPv4 header included. */
Bytes MakeUdpDatagram(ns3::Ipv4Address src,
                      ns3::Ipv4Address dst,
                      uint16_t sport,
                      uint16_t dport,
                      const Bytes& payload,
                      uint16_t id = 1);

} // namespace divtest

#endif /* DIVERT_TEST_UTILS_H */
