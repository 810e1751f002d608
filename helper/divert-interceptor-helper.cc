/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "divert-interceptor-helper.h"

#include "ns3/uinteger.h"

namespace ns3
{

DivertInterceptorHelper::DivertInterceptorHelper(uint16_t port)
{
    m_factory.SetTypeId(DivertInterceptor::GetTypeId());
    m_factory.Set("Port", UintegerValue(port));
}

void
DivertInterceptorHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
DivertInterceptorHelper::SetVerdictCallback(DivertInterceptor::VerdictCallback cb)
{
    m_verdict = cb;
}

ApplicationContainer
DivertInterceptorHelper::Install(Ptr<Node> node) const
{
    Ptr<DivertInterceptor> app = m_factory.Create<DivertInterceptor>();
    app->SetVerdictCallback(m_verdict);
    node->AddApplication(app);
    return ApplicationContainer(app);
}

ApplicationContainer
DivertInterceptorHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(Install(*i));
    }
    return apps;
}

} // namespace ns3
