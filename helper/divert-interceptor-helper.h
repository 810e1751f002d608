/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_INTERCEPTOR_HELPER_H
#define DIVERT_INTERCEPTOR_HELPER_H

#include "ns3/application-container.h"
#include "ns3/divert-interceptor.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

namespace ns3
{

/**
 * \ingroup divert
 * \brief Installs DivertInterceptor applications.
 */
class DivertInterceptorHelper
{
  public:
    /**
     * \brief Construct for a divert port.
     * \param port the divert port the interceptors bind
     */
    explicit DivertInterceptorHelper(uint16_t port);

    /**
     * \brief Set an attribute of the interceptors installed from now on.
     * \param name attribute name ("Port", "ProcessingDelay")
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set the verdict callback given to the interceptors installed from now on.
     * \param cb the callback
     */
    void SetVerdictCallback(DivertInterceptor::VerdictCallback cb);

    /**
     * \brief Install an interceptor on a node.
     * \param node the node
     * \return the application
     */
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * \brief Install an interceptor on each node.
     * \param c the nodes
     * \return the applications
     */
    ApplicationContainer Install(NodeContainer c) const;

  private:
    ObjectFactory m_factory;                      //!< makes the interceptors
    DivertInterceptor::VerdictCallback m_verdict; //!< verdict callback
};

} // namespace ns3

#endif /* DIVERT_INTERCEPTOR_HELPER_H */
