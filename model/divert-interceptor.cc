/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-interceptor.h"

#include "divert-ipv4-l3-protocol.h"
#include "divert-socket-factory.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <iostream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertInterceptor");

NS_OBJECT_ENSURE_REGISTERED(DivertInterceptor);

TypeId
DivertInterceptor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DivertInterceptor")
            .SetParent<Application>()
            .SetGroupName("Divert")
            .AddConstructor<DivertInterceptor>()
            .AddAttribute("Port",
                          "The divert port to bind.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DivertInterceptor::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("ProcessingDelay",
                          "Time the application spends on each datagram.",
                          StringValue("ns3::ConstantRandomVariable[Constant=0.0]"),
                          MakePointerAccessor(&DivertInterceptor::m_delay),
                          MakePointerChecker<RandomVariableStream>())
            .AddTraceSource("Verdict",
                            "A diverted datagram was given a verdict.",
                            MakeTraceSourceAccessor(&DivertInterceptor::m_verdictTrace),
                            "ns3::DivertInterceptor::VerdictTracedCallback");
    return tid;
}

DivertInterceptor::DivertInterceptor()
    : m_port(0),
      m_error(Socket::ERROR_NOTERROR)
{
    NS_LOG_FUNCTION(this);
}

DivertInterceptor::~DivertInterceptor()
{
    NS_LOG_FUNCTION(this);
}

void
DivertInterceptor::SetVerdictCallback(VerdictCallback cb)
{
    m_verdict = cb;
}

int64_t
DivertInterceptor::AssignStreams(int64_t stream)
{
    m_delay->SetStream(stream);
    return 1;
}

DivertInterceptor::Counters
DivertInterceptor::GetCounters() const
{
    return m_counters;
}

Socket::SocketErrno
DivertInterceptor::GetSocketError() const
{
    return m_error;
}

Ptr<Socket>
DivertInterceptor::GetSocket() const
{
    return m_socket;
}

void
DivertInterceptor::DoDispose()
{
    m_socket = nullptr;
    m_verdict.Nullify();
    Application::DoDispose();
}

void
DivertInterceptor::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!GetNode()->GetObject<DivertSocketFactory>())
    {
        // Socket::CreateSocket would dereference a missing factory.
        m_error = Socket::ERROR_OPNOTSUPP;
        std::clog << "DivertInterceptor on node " << GetNode()->GetId()
                  << ": no divert stack on this node (install it with DivertStackHelper)"
                  << std::endl;
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), DivertSocketFactory::GetTypeId());
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        m_error = m_socket->GetErrno();
        // Not fatal: the scenario goes on, and the error is there to be read.
        std::clog << "DivertInterceptor on node " << GetNode()->GetId()
                  << ": cannot bind divert port " << m_port << ": "
                  << (m_error == Socket::ERROR_ADDRINUSE ? "address in use"
                                                         : "divert sockets unavailable")
                  << std::endl;
        m_socket->Close();
        return;
    }
    m_busyUntil = Simulator::Now();
    m_socket->SetRecvCallback(MakeCallback(&DivertInterceptor::HandleRead, this));
}

void
DivertInterceptor::StopApplication()
{
    NS_LOG_FUNCTION(this);
    for (auto& event : m_pending)
    {
        event.Cancel();
    }
    m_pending.clear();
    if (m_socket && m_error == Socket::ERROR_NOTERROR)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
}

void
DivertInterceptor::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> datagram = socket->RecvFrom(from))
    {
        m_counters.received++;
        Verdict verdict;
        if (!m_verdict.IsNull())
        {
            verdict = m_verdict(datagram, from);
        }
        m_verdictTrace(datagram, verdict.action);
        // One FIFO server: every datagram costs its processing time, whatever the verdict.
        Time delay = Seconds(m_delay->GetValue());
        m_busyUntil = std::max(m_busyUntil, Simulator::Now()) + delay;
        Ptr<Packet> out;
        switch (verdict.action)
        {
        case DROP:
            m_counters.dropped++;
            ReportDrop(datagram, DivertIpv4L3Protocol::DIVERT_DROP_VERDICT);
            continue;
        case MODIFY:
            if (!verdict.datagram)
            {
                NS_LOG_WARN("MODIFY verdict without a datagram: dropped");
                m_counters.dropped++;
                ReportDrop(datagram, DivertIpv4L3Protocol::DIVERT_DROP_BAD_VERDICT);
                continue;
            }
            m_counters.modified++;
            out = verdict.datagram;
            break;
        case PASS:
            m_counters.passed++;
            out = datagram;
            break;
        }
        if (m_busyUntil == Simulator::Now())
        {
            SendBack(out, from);
            continue;
        }
        m_pending.push_back(Simulator::Schedule(m_busyUntil - Simulator::Now(),
                                                &DivertInterceptor::SendBack,
                                                this,
                                                out,
                                                from));
    }
}

void
DivertInterceptor::ReportDrop(Ptr<const Packet> datagram, int reason)
{
    // The stack counts and traces every datagram that divert machinery drops.
    if (Ptr<DivertIpv4L3Protocol> stack = GetNode()->GetObject<DivertIpv4L3Protocol>())
    {
        stack->DropDatagram(datagram, DivertIpv4L3Protocol::DivertDropReason(reason), 0);
    }
}

void
DivertInterceptor::SendBack(Ptr<Packet> datagram, Address to)
{
    m_pending.erase(std::remove_if(m_pending.begin(),
                                   m_pending.end(),
                                   [](const EventId& e) { return e.IsExpired(); }),
                    m_pending.end());
    if (m_socket->SendTo(datagram, 0, to) < 0)
    {
        m_counters.sendErrors++;
        NS_LOG_WARN("divert send failed: errno " << m_socket->GetErrno());
    }
}

} // namespace ns3
