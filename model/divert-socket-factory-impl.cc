/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-socket-factory-impl.h"

#include "divert-ipv4-l3-protocol.h"
#include "divert-socket.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DivertSocketFactoryImpl");

NS_OBJECT_ENSURE_REGISTERED(DivertSocketFactoryImpl);

TypeId
DivertSocketFactoryImpl::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DivertSocketFactoryImpl")
                            .SetParent<DivertSocketFactory>()
                            .SetGroupName("Divert")
                            .AddConstructor<DivertSocketFactoryImpl>();
    return tid;
}

DivertSocketFactoryImpl::DivertSocketFactoryImpl()
{
    NS_LOG_FUNCTION(this);
}

DivertSocketFactoryImpl::~DivertSocketFactoryImpl()
{
    NS_LOG_FUNCTION(this);
}

void
DivertSocketFactoryImpl::SetStack(Ptr<DivertIpv4L3Protocol> stack)
{
    m_stack = stack;
}

Ptr<Socket>
DivertSocketFactoryImpl::CreateSocket()
{
    NS_LOG_FUNCTION(this);
    Ptr<DivertIpv4L3Protocol> stack = m_stack ? m_stack : GetObject<DivertIpv4L3Protocol>();
    if (!stack)
    {
        // Never abort in Socket::CreateSocket: hand back a socket that explains itself.
        NS_LOG_WARN("no DivertIpv4L3Protocol on this node: install it with DivertStackHelper");
        Ptr<DivertSocket> socket = CreateObject<DivertSocket>();
        socket->SetDisabled(Socket::ERROR_OPNOTSUPP);
        return socket;
    }
    return stack->CreateDivertSocket();
}

void
DivertSocketFactoryImpl::DoDispose()
{
    m_stack = nullptr;
    DivertSocketFactory::DoDispose();
}

} // namespace ns3
