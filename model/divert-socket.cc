/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-socket.h"

#include "divert-ipv4-l3-protocol.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/uinteger.h"

#include <sys/socket.h> // MSG_PEEK, as Ipv4RawSocketImpl

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertSocket");

NS_OBJECT_ENSURE_REGISTERED(DivertSocket);

TypeId
DivertSocket::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DivertSocket")
                            .SetParent<Socket>()
                            .SetGroupName("Divert")
                            .AddConstructor<DivertSocket>()
                            .AddAttribute("RcvBufSize",
                                          "Bound of the receive queue in bytes (whole datagrams). "
                                          "OpenBSD's divert sockets use 65536.",
                                          UintegerValue(65536),
                                          MakeUintegerAccessor(&DivertSocket::m_rcvBufSize),
                                          MakeUintegerChecker<uint32_t>(1))
                            .AddTraceSource("QueueDrop",
                                            "A diverted datagram did not fit in the receive queue.",
                                            MakeTraceSourceAccessor(&DivertSocket::m_dropTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

DivertSocket::DivertSocket()
    : m_errno(ERROR_NOTERROR),
      m_disabled(ERROR_NOTERROR),
      m_port(0),
      m_closed(false),
      m_shutdownSend(false),
      m_shutdownRecv(false),
      m_rcvBufSize(65536),
      m_rxAvailable(0),
      m_drops(0)
{
    NS_LOG_FUNCTION(this);
}

DivertSocket::~DivertSocket()
{
    NS_LOG_FUNCTION(this);
}

void
DivertSocket::SetStack(Ptr<Node> node, Ptr<DivertIpv4L3Protocol> stack)
{
    m_node = node;
    m_stack = stack;
}

void
DivertSocket::SetDisabled(Socket::SocketErrno error)
{
    m_disabled = error;
    m_errno = error;
}

uint16_t
DivertSocket::GetPort() const
{
    return m_port;
}

uint64_t
DivertSocket::GetDropCount() const
{
    return m_drops;
}

bool
DivertSocket::CheckUsable()
{
    if (m_disabled != ERROR_NOTERROR)
    {
        NS_LOG_WARN("divert sockets are disabled on this node (DivertSockets=false)");
        m_errno = m_disabled;
        return false;
    }
    if (m_closed || !m_stack)
    {
        m_errno = ERROR_BADF;
        return false;
    }
    return true;
}

bool
DivertSocket::Deliver(Ptr<Packet> datagram, const InetSocketAddress& from)
{
    NS_LOG_FUNCTION(this << datagram << from.GetIpv4() << from.GetPort());
    if (m_shutdownRecv || m_rxAvailable + datagram->GetSize() > m_rcvBufSize)
    {
        // OpenBSD divert_packet(): sbappendaddr() fails, divs_fullsock++, m_freem().
        m_drops++;
        m_dropTrace(datagram);
        return false;
    }
    m_queue.push_back(Item{datagram, from});
    m_rxAvailable += datagram->GetSize();
    NotifyDataRecv();
    return true;
}

Socket::SocketErrno
DivertSocket::GetErrno() const
{
    return m_errno;
}

Socket::SocketType
DivertSocket::GetSocketType() const
{
    return NS3_SOCK_RAW;
}

Ptr<Node>
DivertSocket::GetNode() const
{
    return m_node;
}

int
DivertSocket::Bind(const Address& address)
{
    NS_LOG_FUNCTION(this << address);
    if (!CheckUsable())
    {
        return -1;
    }
    if (!InetSocketAddress::IsMatchingType(address))
    {
        m_errno = ERROR_AFNOSUPPORT;
        return -1;
    }
    if (m_port != 0)
    {
        // Like bind(2) on a bound socket.
        m_errno = ERROR_INVAL;
        return -1;
    }
    InetSocketAddress inet = InetSocketAddress::ConvertFrom(address);
    uint16_t port = m_stack->BindDivertPort(this, inet.GetPort());
    if (port == 0)
    {
        NS_LOG_WARN("divert port " << inet.GetPort() << " is already bound on node "
                                   << m_node->GetId());
        m_errno = ERROR_ADDRINUSE;
        return -1;
    }
    m_port = port;
    return 0;
}

int
DivertSocket::Bind()
{
    return Bind(InetSocketAddress(Ipv4Address::GetAny(), 0));
}

int
DivertSocket::Bind6()
{
    m_errno = ERROR_AFNOSUPPORT;
    return -1;
}

int
DivertSocket::Close()
{
    NS_LOG_FUNCTION(this);
    if (m_closed)
    {
        m_errno = ERROR_BADF;
        return -1;
    }
    m_closed = true;
    if (m_stack)
    {
        if (m_port != 0)
        {
            m_stack->UnbindDivertPort(m_port);
        }
        m_stack->DeleteDivertSocket(this);
        // What was queued is lost: never silently (issue 12).
        for (const auto& item : m_queue)
        {
            m_stack->DropDatagram(item.datagram,
                                  DivertIpv4L3Protocol::DIVERT_DROP_SOCKET_CLOSED,
                                  0);
        }
    }
    m_queue.clear();
    m_rxAvailable = 0;
    return 0;
}

int
DivertSocket::ShutdownSend()
{
    m_shutdownSend = true;
    return 0;
}

int
DivertSocket::ShutdownRecv()
{
    m_shutdownRecv = true;
    return 0;
}

int
DivertSocket::Connect(const Address& address)
{
    // divert(4): divert sockets are not connected.
    m_errno = ERROR_OPNOTSUPP;
    return -1;
}

int
DivertSocket::Listen()
{
    m_errno = ERROR_OPNOTSUPP;
    return -1;
}

uint32_t
DivertSocket::GetTxAvailable() const
{
    // The largest IPv4 datagram.
    return 65535;
}

int
DivertSocket::Send(Ptr<Packet> p, uint32_t flags)
{
    // FreeBSD div_output(): no address means "send out".
    return SendTo(p, flags, InetSocketAddress(Ipv4Address::GetAny(), 0));
}

int
DivertSocket::SendTo(Ptr<Packet> p, uint32_t flags, const Address& toAddress)
{
    NS_LOG_FUNCTION(this << p << flags << toAddress);
    if (!CheckUsable())
    {
        return -1;
    }
    if (m_shutdownSend)
    {
        m_errno = ERROR_SHUTDOWN;
        return -1;
    }
    if (!InetSocketAddress::IsMatchingType(toAddress))
    {
        m_errno = ERROR_AFNOSUPPORT;
        return -1;
    }
    if (m_port == 0 && Bind() != 0)
    {
        return -1;
    }
    Socket::SocketErrno err =
        m_stack->DivertSend(p, InetSocketAddress::ConvertFrom(toAddress), m_port);
    if (err != ERROR_NOTERROR)
    {
        m_errno = err;
        return -1;
    }
    NotifyDataSent(p->GetSize());
    return p->GetSize();
}

uint32_t
DivertSocket::GetRxAvailable() const
{
    return m_rxAvailable;
}

Ptr<Packet>
DivertSocket::Recv(uint32_t maxSize, uint32_t flags)
{
    Address from;
    return RecvFrom(maxSize, flags, from);
}

Ptr<Packet>
DivertSocket::RecvFrom(uint32_t maxSize, uint32_t flags, Address& fromAddress)
{
    NS_LOG_FUNCTION(this << maxSize << flags);
    if (!CheckUsable())
    {
        return nullptr;
    }
    if (m_queue.empty())
    {
        m_errno = ERROR_AGAIN;
        return nullptr;
    }
    Item item = m_queue.front();
    fromAddress = item.from;
    if (!(flags & MSG_PEEK))
    {
        m_queue.pop_front();
        m_rxAvailable -= item.datagram->GetSize();
    }
    if (item.datagram->GetSize() > maxSize)
    {
        // Datagram semantics: the rest is discarded (MSG_TRUNC).
        return item.datagram->CreateFragment(0, maxSize);
    }
    return (flags & MSG_PEEK) ? item.datagram->Copy() : item.datagram;
}

int
DivertSocket::GetSockName(Address& address) const
{
    address = InetSocketAddress(Ipv4Address::GetAny(), m_port);
    return 0;
}

int
DivertSocket::GetPeerName(Address& address) const
{
    m_errno = ERROR_NOTCONN;
    return -1;
}

bool
DivertSocket::SetAllowBroadcast(bool allowBroadcast)
{
    // A divert socket sends whole datagrams; any destination is allowed.
    return true;
}

bool
DivertSocket::GetAllowBroadcast() const
{
    return true;
}

void
DivertSocket::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_stack)
    {
        for (const auto& item : m_queue)
        {
            m_stack->DropDatagram(item.datagram, DivertIpv4L3Protocol::DIVERT_DROP_DISPOSED, 0);
        }
    }
    m_queue.clear();
    m_node = nullptr;
    m_stack = nullptr;
    Socket::DoDispose();
}

} // namespace ns3
