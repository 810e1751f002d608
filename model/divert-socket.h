/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_SOCKET_H
#define DIVERT_SOCKET_H

#include "ns3/inet-socket-address.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>

namespace ns3
{

class Node;
class Packet;
class DivertIpv4L3Protocol;

/**
 * \ingroup divert
 * \brief A divert socket (IPPROTO_DIVERT): a raw IPv4 socket bound to a divert port.
 *
 * Create it with
 * `Socket::CreateSocket(node, DivertSocketFactory::GetTypeId())` on a node
 * whose stack was installed with DivertStackHelper.
 *
 * - Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) binds the divert port;
 *   a port already bound on the node fails with ERROR_ADDRINUSE; port 0 (or
 *   Bind()) picks a free port, which is enough for an injecting application.
 * - Recv/RecvFrom return each diverted datagram whole, its Ipv4Header first
 *   (remove it with Packet::RemoveHeader or read the bytes with CopyData).
 *   The address is that of the interface the packet arrived on (input and
 *   forward chains) or 0.0.0.0 (output chain); its port is a handle that
 *   names the diversion (DivertIpv4L3Protocol::LookupDiversion tells the
 *   chain and rule). Reading less than a datagram truncates it, as on a
 *   datagram socket.
 * - SendTo(datagram, 0, address) sends a whole IPv4 datagram: to 0.0.0.0 it
 *   goes out, routed by its destination; to an interface address it comes
 *   in on that interface; any other address fails with ERROR_ADDRNOTAVAIL.
 *   Give back the address (and so the handle) a packet came with to reinject
 *   it where it was diverted. Send() without an address sends out, as
 *   FreeBSD's divert(4) does.
 * - The receive queue is bounded by the attribute RcvBufSize; a packet that
 *   does not fit is dropped and counted (GetDropCount, and the stack's
 *   "queueFull" counter).
 *
 * Errors are reported the ns-3 way: the call returns -1 (or nullptr) and
 * GetErrno() tells why.
 */
class DivertSocket : public Socket
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DivertSocket();
    ~DivertSocket() override;

    /**
     * \brief Attach the socket to a node's divert stack.
     * \param node the node
     * \param stack the stack; nullptr if divert sockets are disabled there
     */
    void SetStack(Ptr<Node> node, Ptr<DivertIpv4L3Protocol> stack);

    /**
     * \brief Mark the socket as unusable: every call fails with this error.
     * \param error the error
     */
    void SetDisabled(Socket::SocketErrno error);

    /**
     * \brief The bound divert port.
     * \return the port, 0 if not bound
     */
    uint16_t GetPort() const;

    /**
     * \brief How many packets were dropped because the receive queue was full.
     * \return the count
     */
    uint64_t GetDropCount() const;

    /**
     * \brief Called by the stack: queue a diverted datagram.
     * \param datagram the whole datagram, IPv4 header included
     * \param from the address to hand back with it
     * \return false if it did not fit in the receive queue (it is dropped)
     */
    bool Deliver(Ptr<Packet> datagram, const InetSocketAddress& from);

    // Socket
    Socket::SocketErrno GetErrno() const override;
    Socket::SocketType GetSocketType() const override;
    Ptr<Node> GetNode() const override;
    int Bind(const Address& address) override;
    int Bind() override;
    int Bind6() override;
    int Close() override;
    int ShutdownSend() override;
    int ShutdownRecv() override;
    int Connect(const Address& address) override;
    int Listen() override;
    uint32_t GetTxAvailable() const override;
    int Send(Ptr<Packet> p, uint32_t flags) override;
    int SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress) override;
    uint32_t GetRxAvailable() const override;
    Ptr<Packet> Recv(uint32_t maxSize, uint32_t flags) override;
    Ptr<Packet> RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress) override;
    int GetSockName(Address& address) const override;
    int GetPeerName(Address& address) const override;
    bool SetAllowBroadcast(bool allowBroadcast) override;
    bool GetAllowBroadcast() const override;

  protected:
    void DoDispose() override;

  private:
    /**
     * Common checks of every call.
     * \return true if the socket is usable; otherwise m_errno is set
     */
    bool CheckUsable();

    /** A queued datagram. */
    struct Item
    {
        Ptr<Packet> datagram;   //!< datagram with header
        InetSocketAddress from; //!< address handed back
    };

    Ptr<Node> m_node;                    //!< the node
    Ptr<DivertIpv4L3Protocol> m_stack;   //!< the divert stack
    mutable Socket::SocketErrno m_errno; //!< last error
    Socket::SocketErrno m_disabled;      //!< set when divert sockets are disabled
    uint16_t m_port;                     //!< bound port
    bool m_closed;                       //!< Close() was called
    bool m_shutdownSend;                 //!< ShutdownSend() was called
    bool m_shutdownRecv;                 //!< ShutdownRecv() was called
    uint32_t m_rcvBufSize;               //!< receive queue bound (bytes)
    uint32_t m_rxAvailable;              //!< bytes queued
    std::deque<Item> m_queue;            //!< receive queue
    uint64_t m_drops;                    //!< queue-full drops

    TracedCallback<Ptr<const Packet>> m_dropTrace; //!< queue-full drops
};

} // namespace ns3

#endif /* DIVERT_SOCKET_H */
